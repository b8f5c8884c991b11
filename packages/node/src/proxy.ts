import * as net from 'node:net';
import * as tls from 'node:tls';
import { HandshakeError, type HandshakeRequest, HttpResponseHeadReader } from '@sturdysocket/core';

/**
 * The proxy for `request`: the `proxy` option's URL, or with `'env'` the one the environment names
 * (`HTTPS_PROXY` for wss:, `HTTP_PROXY` for ws:, either case) unless `NO_PROXY` exempts the host.
 * Returns `undefined` for a direct connection.
 *
 * Under CGI (`REQUEST_METHOD` set) `HTTP_PROXY` is ignored: there the variable holds the
 * request's own `Proxy:` header, which anyone can send ("httpoxy", CVE-2016-5385), and would
 * route our connection through the attacker's proxy. Use the lower-case `http_proxy` there.
 */
export function resolveProxy(
  proxy: string | URL | undefined,
  request: HandshakeRequest,
  env: NodeJS.ProcessEnv = process.env,
): URL | undefined {
  if (proxy === undefined) return undefined;
  if (proxy !== 'env') return parseProxyUrl(proxy, 'the proxy option');
  const name = request.secure ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const upper = request.secure || env.REQUEST_METHOD === undefined ? env[name] : undefined;
  const value = upper ?? env[name.toLowerCase()];
  if (value === undefined || value === '') return undefined;
  if (exemptedByNoProxy(request, env.NO_PROXY ?? env.no_proxy ?? '')) return undefined;
  return parseProxyUrl(value.includes('://') ? value : `http://${value}`, name);
}

/**
 * An `http://` or `https://[user:password@]host[:port]` proxy URL (https: means TLS to the proxy
 * itself). @throws {TypeError} for anything else.
 */
export function parseProxyUrl(value: string | URL, source: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    // The value is not echoed: it may hold a password.
    throw new TypeError(`The proxy URL from ${source} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`The proxy URL from ${source} must use http: or https: (HTTP CONNECT), not ${url.protocol}`);
  }
  return url;
}

/** `NO_PROXY`: `*`, or a list of host names (suffix match, leading `.` or `*.` optional) and IPs, each with an optional port. */
function exemptedByNoProxy(request: HandshakeRequest, noProxy: string): boolean {
  const hostname = request.hostname.toLowerCase();
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let host = entry;
    let port: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      host = bracketed[1] as string;
      port = bracketed[2] === undefined ? undefined : Number(bracketed[2]);
    } else if (!net.isIPv6(entry)) {
      const colon = entry.lastIndexOf(':');
      if (colon > 0) {
        host = entry.slice(0, colon);
        port = Number(entry.slice(colon + 1));
      }
    }
    if (port !== undefined && port !== request.port) continue;
    host = host.replace(/^\*?\./, '');
    if (hostname === host || hostname.endsWith(`.${host}`)) return true;
  }
  return false;
}

/** Proxy credentials, from the URL's user info, as a Basic `Proxy-Authorization` value. */
function basicCredentials(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  const pair = `${decodeUserInfo(proxy.username)}:${decodeUserInfo(proxy.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/**
 * User info as the user meant it: percent-decoded, unless it holds a `%` that starts no escape
 * (the URL parser leaves a literal `%` as it is), in which case it is taken as written.
 */
function decodeUserInfo(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** What the connection to the proxy takes from the WebSocket's options. */
export interface ProxyConnectionOptions {
  family: 0 | 4 | 6;
  maxResponseHeaderBytes: number;
  /** For an https: proxy: trusted CAs, besides Node's (the same option as for the server). */
  ca?: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
  /** For an https: proxy: whether its certificate must verify (the same option as for the server). */
  rejectUnauthorized?: boolean | undefined;
}

/**
 * Opens a tunnel to the WebSocket server through an HTTP proxy (RFC 9110 §9.3.6 CONNECT) and
 * resolves with the connected socket. An https: proxy is reached over TLS, verified for the
 * proxy's own host name; a wss: connection then runs its own TLS inside that one. Failures are
 * typed: `proxy-refused` (the proxy could not be reached, its certificate did not verify, or it
 * hung up), `proxy-auth` (407), `proxy-status` (any other non-2xx answer).
 * `track` receives the socket at once, so the caller can destroy it on timeout or abort.
 */
export function connectThroughProxy(
  proxy: URL,
  request: HandshakeRequest,
  options: ProxyConnectionOptions,
  track: (socket: net.Socket) => void,
): Promise<net.Socket> {
  const secure = proxy.protocol === 'https:';
  const port = Number(proxy.port || (secure ? 443 : 80));
  const where = `${proxy.hostname}:${port}`;
  const host = proxy.hostname.replace(/^\[|\]$/g, '');
  const endpoint = { host, port, family: options.family, allowHalfOpen: true };
  const socket = secure
    ? tls.connect({
        ...endpoint,
        // RFC 6066 §3: no server name indication for an IP address.
        ...(net.isIP(host) === 0 ? { servername: host } : {}),
        ...(options.ca !== undefined ? { ca: options.ca as tls.ConnectionOptions['ca'] } : {}),
        ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
      })
    : net.connect(endpoint);
  track(socket);
  socket.setNoDelay(true);
  return new Promise<net.Socket>((resolve, reject) => {
    const reader = new HttpResponseHeadReader(options.maxResponseHeaderBytes);
    const done = (error?: HandshakeError) => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('end', onClose);
      socket.off('close', onClose);
      if (error) {
        socket.destroy();
        reject(error);
      } else resolve(socket);
    };
    const onError = (error: Error) =>
      done(
        new HandshakeError('proxy-refused', `The proxy ${where} could not be reached: ${error.message}`, {
          cause: error,
        }),
      );
    const onClose = () => done(new HandshakeError('proxy-refused', `The proxy ${where} closed the connection`));
    const onData = (chunk: Buffer) => {
      let parsed: ReturnType<HttpResponseHeadReader['push']>;
      try {
        parsed = reader.push(chunk);
      } catch (error) {
        const cause = error as HandshakeError;
        done(
          new HandshakeError('proxy-status', `The proxy ${where} sent an invalid answer: ${cause.message}`, { cause }),
        );
        return;
      }
      if (parsed === undefined) return;
      const { head, rest } = parsed;
      const headers: Record<string, string> = {};
      for (const [name, value] of head.headers) headers[name.toLowerCase()] = value;
      if (head.status === 407) {
        done(
          new HandshakeError('proxy-auth', `The proxy ${where} requires (other) credentials (HTTP 407)`, {
            status: head.status,
            headers,
          }),
        );
      } else if (head.status < 200 || head.status > 299) {
        done(
          new HandshakeError('proxy-status', `The proxy ${where} refused the tunnel (HTTP ${head.status})`, {
            status: head.status,
            headers,
          }),
        );
      } else {
        socket.pause();
        // The server speaks only after our request; anything here belongs to the tunnel anyway.
        if (rest.byteLength > 0) socket.unshift(Buffer.from(rest));
        done();
      }
    };
    socket.on('data', onData);
    socket.on('error', onError);
    // The socket is half-open (for the tunnel's sake): a proxy's FIN before its answer does not
    // close it, and would otherwise leave the handshake waiting for its timeout.
    socket.on('end', onClose);
    socket.on('close', onClose);
    const authority = `${request.url.hostname}:${request.port}`;
    const credentials = basicCredentials(proxy);
    socket.write(
      `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${
        credentials === undefined ? '' : `Proxy-Authorization: ${credentials}\r\n`
      }\r\n`,
    );
  });
}
