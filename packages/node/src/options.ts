import type { Socket } from 'node:net';
import type { HeadersInput } from '@sturdysocket/core';
import type { NodePermessageDeflateOptions } from './deflate/index.js';
import type { CreateConnectionOptions } from './establish-connection.js';
import { parseProxyUrl } from './proxy.js';

/**
 * Options of the Node `WebSocket`. Pass them as the second argument (instead of protocols) or the
 * third (after protocols). Every field is optional; `DEFAULT_NODE_WEBSOCKET_OPTIONS` holds the
 * defaults.
 */
export interface NodeWebSocketOptions {
  /**
   * Subprotocols to offer, most preferred first (RFC 6455 §4.1 `Sec-WebSocket-Protocol`). Each
   * must be an RFC 7230 token, none repeated. When protocols are also given as the constructor's
   * second argument, that argument wins.
   * @default []
   */
  protocols?: string | readonly string[] | undefined;
  /**
   * Extra request headers (a record, `[name, value]` pairs or a `Headers`). The handshake's own
   * headers (`Host`, `Upgrade`, `Connection`, `Sec-WebSocket-*`) cannot be set here; a value with
   * CR, LF or NUL is refused with a `TypeError`.
   * @default {}
   */
  headers?: HeadersInput | undefined;
  /**
   * Sent as the `Origin` header, for servers that check it. Browsers always send one; Node sends
   * none unless told.
   * @default undefined (no Origin header)
   */
  origin?: string | undefined;
  /**
   * Longest time, in milliseconds, from the constructor to a validated handshake response:
   * DNS, TCP connect, TLS and the HTTP upgrade together. Past it the connection fails with
   * `HandshakeError` reason `timeout`. `0` disables the limit.
   * @default 30000
   */
  handshakeTimeoutMs?: number | undefined;
  /**
   * How long, in milliseconds, to wait after sending a close frame for the server's close frame
   * and its TCP FIN (RFC 6455 §7.1.1: the server closes the TCP connection first) before
   * destroying the socket. The wait starts when our close frame (or our echo of the server's)
   * has been written to the kernel — not at `close()`: the frame goes out after the data `send()`
   * accepted before it, which a slow server may take long to read (that wait is
   * `closeFlushTimeoutMs`'s). A close that times out before the server's close frame arrived is
   * reported as 1006, not clean. `0` (or `Infinity`) waits as long as the server takes.
   * @default 30000
   */
  closeTimeoutMs?: number | undefined;
  /**
   * How long, in milliseconds, our close frame may wait to be written — behind the data `send()`
   * accepted before `close()` (or before the server's close frame, which we echo), while the
   * server reads it — before the socket is destroyed. Past it the close is reported as not clean,
   * with 1006 (or the code of the server's close frame, if one had arrived), and what was not
   * written stays in `bufferedAmount`. Once the frame is written, `closeTimeoutMs` bounds the
   * wait for the answer, so a close takes at most the two together: a server that never reads
   * cannot hold the socket open. Raise it to let a large send finish over a slow link; `0` (or
   * `Infinity`) waits as long as the writes take.
   * @default 30000
   */
  closeFlushTimeoutMs?: number | undefined;
  /**
   * Largest message accepted from the server, in bytes. A longer one fails the connection with
   * close code 1009 before its payload is buffered.
   * @default 104857600 (100 MiB)
   */
  maxPayload?: number | undefined;
  /**
   * Largest handshake response head (status line and headers), in bytes. A larger one fails with
   * `HandshakeError` reason `response-too-large` without buffering more.
   * @default 16384 (16 KiB, as Node's HTTP parser)
   */
  maxResponseHeaderBytes?: number | undefined;
  /** `wss:` only — trusted CA certificates (PEM), replacing Node's default list. @default undefined (Node's bundled CAs) */
  ca?: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
  /**
   * `wss:` only — client certificate chain (PEM) for mutual TLS. Like `key` and `servername`, it is
   * used only for the URL's origin: a redirect hop to another origin goes without it.
   * @default undefined
   */
  cert?: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
  /** `wss:` only — private key (PEM) for `cert`. @default undefined */
  key?: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
  /**
   * `wss:` only — the TLS SNI server name and the name the certificate is checked against.
   * @default the URL's host name (no SNI for an IP literal, as RFC 6066 §3 requires)
   */
  servername?: string | undefined;
  /**
   * `wss:` only — refuse a certificate that does not chain to a trusted CA or does not match the
   * host. Turning it off makes the connection open to anyone on the path.
   * @default true
   */
  rejectUnauthorized?: boolean | undefined;
  /**
   * Aborts the opening handshake: the connection fails with `HandshakeError` reason `aborted`
   * (an `error` then a `close` event with code 1006). It governs establishment only, as Deno's
   * `WebSocketStream` signal does; once open, use `close()` or `terminate()`.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
  /** IP family for the DNS lookup: `4`, `6`, or `0` for either. @default 0 */
  family?: 0 | 4 | 6 | undefined;
  /**
   * Fail the handshake with `HandshakeError` reason `missing-protocol` when protocols were offered
   * and the server chose none (WHATWG lets such a connection open with `protocol === ''`).
   * @default false
   */
  requireProtocol?: boolean | undefined;
  /**
   * Header names whose values are credentials: they never appear in `handshake.requestHeaders`,
   * errors or diagnostics. `Authorization`, `Cookie`, `Proxy-Authorization` and `Set-Cookie` are
   * always secret; names listed here are added, compared case-insensitively.
   * @default []
   */
  secretHeaders?: readonly string[] | undefined;
  /**
   * Offered subprotocols that carry a credential (the auth layer's subprotocol carrier sets it):
   * in `handshake.requestHeaders`, errors and diagnostics their entries of
   * `Sec-WebSocket-Protocol` read `[redacted]`. They are still offered as given.
   * @default []
   */
  secretProtocols?: readonly string[] | undefined;
  /**
   * Offer permessage-deflate (RFC 7692), as browsers and `ws` do: `true` with the defaults of
   * `DEFAULT_PERMESSAGE_DEFLATE_OPTIONS` (context takeover, messages under 1 KiB sent
   * uncompressed, level 6), an object to tune the offer (`serverMaxWindowBits` bounds the memory
   * the server can make us hold; `serverNoContextTakeover` frees it between messages), `false`
   * to offer nothing. The server decides: `extensions` tells what it agreed. Inflated messages
   * are held to `maxPayload` while they inflate, so a compression bomb fails with 1009.
   * @default true
   */
  perMessageDeflate?: boolean | NodePermessageDeflateOptions | undefined;
  /**
   * Not in WHATWG (browsers never follow a WebSocket redirect). Follow 301, 302, 303, 307 and 308
   * answers to the handshake: each hop gets a fresh key; `Authorization`, `Cookie`,
   * `Proxy-Authorization` and `secretHeaders` are dropped on a hop to another origin or from
   * wss: to ws:, and on every hop after it. When `false`, a redirect fails with `HandshakeError`
   * reason `redirect` (its `status` and `headers.location` say where).
   * @default false
   */
  followRedirects?: boolean | undefined;
  /** With `followRedirects`, the most redirects followed; one more fails with reason `redirect`. @default 10 */
  maxRedirects?: number | undefined;
  /**
   * With `followRedirects`, follow a redirect from wss: to ws: (credentials are dropped either
   * way). Otherwise it fails with reason `insecure-redirect`.
   * @default false
   */
  allowInsecureRedirect?: boolean | undefined;
  /**
   * An HTTP proxy to tunnel through with CONNECT: `http://[user:password@]host[:port]`, or
   * `https://…` for a proxy reached over TLS (verified for the proxy's host name, against Node's
   * CAs plus `ca`, unless `rejectUnauthorized` is false; default port 443). The credentials are sent
   * as Basic `Proxy-Authorization` and never appear in errors. `'env'` uses `HTTPS_PROXY` (wss:) /
   * `HTTP_PROXY` (ws:) unless `NO_PROXY` lists the host. Failures are `HandshakeError` reasons
   * `proxy-refused` (unreachable, or its certificate did not verify), `proxy-auth` (407) and
   * `proxy-status`. Ignored when `createConnection` is given.
   * @default undefined (direct connection)
   */
  proxy?: string | URL | 'env' | undefined;
  /**
   * Replaces the TCP/TLS connection: return a `net.Socket` (a `tls.TLSSocket` for wss:) connected
   * or connecting to the server, e.g. over a Unix socket or a custom tunnel. The handshake is
   * still ours. Called once per hop.
   * @default undefined (node:net / node:tls)
   */
  createConnection?: ((options: CreateConnectionOptions) => Socket) | undefined;
}

/** The defaults of `NodeWebSocketOptions`, in one place. */
export const DEFAULT_NODE_WEBSOCKET_OPTIONS = Object.freeze({
  protocols: [] as readonly string[],
  handshakeTimeoutMs: 30_000,
  closeTimeoutMs: 30_000,
  closeFlushTimeoutMs: 30_000,
  maxPayload: 100 * 1024 * 1024,
  maxResponseHeaderBytes: 16 * 1024,
  rejectUnauthorized: true,
  family: 0 as 0 | 4 | 6,
  requireProtocol: false,
  secretHeaders: [] as readonly string[],
  secretProtocols: [] as readonly string[],
  perMessageDeflate: true as boolean | NodePermessageDeflateOptions,
  followRedirects: false,
  maxRedirects: 10,
  allowInsecureRedirect: false,
});

/** The options after defaults are applied and the constructor's arguments are merged. */
export interface ResolvedNodeWebSocketOptions
  extends Omit<
    NodeWebSocketOptions,
    | 'protocols'
    | 'handshakeTimeoutMs'
    | 'closeTimeoutMs'
    | 'closeFlushTimeoutMs'
    | 'maxPayload'
    | 'maxResponseHeaderBytes'
    | 'rejectUnauthorized'
    | 'family'
    | 'requireProtocol'
    | 'secretHeaders'
    | 'secretProtocols'
    | 'perMessageDeflate'
    | 'followRedirects'
    | 'maxRedirects'
    | 'allowInsecureRedirect'
  > {
  protocols: string | readonly string[];
  handshakeTimeoutMs: number;
  closeTimeoutMs: number;
  closeFlushTimeoutMs: number;
  maxPayload: number;
  maxResponseHeaderBytes: number;
  rejectUnauthorized: boolean;
  family: 0 | 4 | 6;
  requireProtocol: boolean;
  secretHeaders: readonly string[];
  secretProtocols: readonly string[];
  perMessageDeflate: boolean | NodePermessageDeflateOptions;
  followRedirects: boolean;
  maxRedirects: number;
  allowInsecureRedirect: boolean;
}

/**
 * What a `WebSocket` still reads once its connection attempt has the full options: what a
 * redirect's request and the `handshake` description are made from, and the limits used after
 * open. An idle connection keeps this instead of every option.
 */
export interface RetainedNodeWebSocketOptions {
  /**
   * The subprotocols offered: once retained, the list as normalised for the first request (a
   * copy the caller cannot change).
   */
  readonly protocols: string | readonly string[];
  readonly headers?: NodeWebSocketOptions['headers'];
  readonly origin?: string | undefined;
  readonly requireProtocol: boolean;
  readonly secretHeaders: readonly string[];
  readonly secretProtocols: readonly string[];
  readonly closeTimeoutMs: number;
  readonly closeFlushTimeoutMs: number;
  readonly maxPayload: number;
}

const NO_PROTOCOLS: readonly string[] = /* @__PURE__ */ Object.freeze([]);

/** The options a `WebSocket` keeps (see `RetainedNodeWebSocketOptions`); `protocols` as the first request offered them. */
export function retainOptions(
  options: ResolvedNodeWebSocketOptions,
  protocols: readonly string[],
): RetainedNodeWebSocketOptions {
  // Sockets made alike (the usual case) share one object: it is never changed.
  const last = lastRetained?.deref();
  if (last !== undefined && isRetained(last, options, protocols)) return last;
  const retained: RetainedNodeWebSocketOptions = {
    protocols: protocols.length === 0 ? NO_PROTOCOLS : protocols,
    headers: options.headers,
    origin: options.origin,
    requireProtocol: options.requireProtocol,
    secretHeaders: options.secretHeaders,
    secretProtocols: options.secretProtocols,
    closeTimeoutMs: options.closeTimeoutMs,
    closeFlushTimeoutMs: options.closeFlushTimeoutMs,
    maxPayload: options.maxPayload,
  };
  lastRetained = new WeakRef(retained);
  return retained;
}

/** The last options retained, for the next socket to share if its options match. */
let lastRetained: WeakRef<RetainedNodeWebSocketOptions> | undefined;

function sameStrings(a: string | readonly string[], b: string | readonly string[]): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Whether `retained` is what `retainOptions(options, protocols)` would make. */
function isRetained(
  retained: RetainedNodeWebSocketOptions,
  options: ResolvedNodeWebSocketOptions,
  protocols: readonly string[],
): boolean {
  return (
    sameStrings(retained.protocols, protocols) &&
    retained.headers === options.headers &&
    retained.origin === options.origin &&
    retained.requireProtocol === options.requireProtocol &&
    sameStrings(retained.secretHeaders, options.secretHeaders) &&
    sameStrings(retained.secretProtocols, options.secretProtocols) &&
    retained.closeTimeoutMs === options.closeTimeoutMs &&
    retained.closeFlushTimeoutMs === options.closeFlushTimeoutMs &&
    retained.maxPayload === options.maxPayload
  );
}

function isProtocolsArgument(value: unknown): value is string | readonly string[] {
  return typeof value === 'string' || Array.isArray(value);
}

function checkNonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number of ${name.endsWith('Ms') ? 'milliseconds' : 'bytes'}`);
  }
  return value;
}

/**
 * Merges `new WebSocket(url, protocolsOrOptions?, options?)`'s arguments with the defaults and
 * checks the numeric limits (`RangeError` for a negative or NaN one).
 */
export function resolveOptions(
  protocolsOrOptions: string | readonly string[] | NodeWebSocketOptions | undefined,
  options: NodeWebSocketOptions | undefined,
): ResolvedNodeWebSocketOptions {
  // The defaults, overridden by every option given as other than `undefined`: the options
  // object, then the third argument; protocols as the second argument win over both.
  const resolved = { ...DEFAULT_NODE_WEBSOCKET_OPTIONS } as Record<string, unknown>;
  const protocolsArgument = isProtocolsArgument(protocolsOrOptions);
  for (const given of [protocolsArgument ? undefined : protocolsOrOptions, options]) {
    if (given === undefined || given === null) continue;
    for (const name in given) {
      const value = (given as Record<string, unknown>)[name];
      if (value !== undefined && Object.hasOwn(given, name)) resolved[name] = value;
    }
  }
  if (protocolsArgument) resolved.protocols = protocolsOrOptions;
  return checkResolved(resolved as unknown as ResolvedNodeWebSocketOptions);
}

/** Checks the numeric limits, the proxy URL and the address family of merged options. */
function checkResolved(resolved: ResolvedNodeWebSocketOptions): ResolvedNodeWebSocketOptions {
  checkNonNegative('handshakeTimeoutMs', resolved.handshakeTimeoutMs);
  checkNonNegative('closeTimeoutMs', resolved.closeTimeoutMs);
  checkNonNegative('closeFlushTimeoutMs', resolved.closeFlushTimeoutMs);
  checkNonNegative('maxPayload', resolved.maxPayload);
  checkNonNegative('maxResponseHeaderBytes', resolved.maxResponseHeaderBytes);
  if (!Number.isInteger(resolved.maxRedirects) || resolved.maxRedirects < 0) {
    throw new RangeError('maxRedirects must be a non-negative integer');
  }
  // A malformed proxy URL is misuse, reported at once (never echoing it: it may hold a password).
  if (resolved.proxy !== undefined && resolved.proxy !== 'env') parseProxyUrl(resolved.proxy, 'the proxy option');
  if (resolved.family !== 0 && resolved.family !== 4 && resolved.family !== 6) {
    throw new RangeError('family must be 0, 4 or 6');
  }
  if (!Array.isArray(resolved.secretProtocols)) throw new TypeError('secretProtocols must be an array of strings');
  return resolved;
}
