import { WEBSOCKET_VERSION } from './constants.js';
import type { ExtensionOffer } from './extensions.js';
import type { HeadersInput } from './headers.js';
import { isSafeHeaderValue, isToken } from './http-token.js';
import { generateKey } from './key.js';
import { checkHandshakeHeaders } from './transport.js';

export interface HandshakeRequestOptions {
  /** The server's URL: `ws:`/`wss:`, or `http:`/`https:`, mapped to them as WHATWG does. */
  url: string | URL;
  /** Subprotocols to offer, most preferred first. Each an RFC 7230 token, none repeated. */
  protocols?: string | readonly string[] | undefined;
  /** Extra request headers. The handshake's own headers cannot be overridden here. */
  headers?: HeadersInput | undefined;
  /** Sent as the `Origin` header, for servers that check it. */
  origin?: string | undefined;
  /** Extensions to offer, in order of preference (e.g. permessage-deflate). */
  extensions?: readonly ExtensionOffer[] | undefined;
  /** Fail the handshake with `missing-protocol` if the server picks none of `protocols`. @default false */
  requireProtocol?: boolean | undefined;
  /**
   * The key to send; generated (16 CSPRNG bytes) when absent. Set it only in tests, or to make
   * again a request already sent (never to send one: §4.1 wants a fresh key per connection).
   */
  key?: string | undefined;
}

/** Everything needed to send an opening handshake and judge its answer. */
export interface HandshakeRequest {
  /** The normalised `ws:`/`wss:` URL, without fragment. */
  readonly url: URL;
  /** Whether the connection uses TLS (`wss:`). */
  readonly secure: boolean;
  /** The host name to connect to (brackets removed from IPv6 literals). */
  readonly hostname: string;
  /** The TCP port: explicit, or 80/443. */
  readonly port: number;
  /** The request target: path and query (RFC 6455 §3 "resource name"). */
  readonly target: string;
  /** The `Sec-WebSocket-Key` sent. */
  readonly key: string;
  /** The subprotocols offered. */
  readonly protocols: readonly string[];
  /** The extensions offered. */
  readonly extensions: readonly ExtensionOffer[];
  /** Whether a subprotocol must be chosen. */
  readonly requireProtocol: boolean;
  /** The request's header fields, in the order they are sent. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

function syntaxError(message: string): DOMException {
  return new DOMException(message, 'SyntaxError');
}

/**
 * WHATWG WebSockets, "new WebSocket(url, protocols)" steps 1–9: parse the URL, map http(s) to
 * ws(s), refuse other schemes and fragments, and check the protocols.
 */
export function parseWebSocketUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch (cause) {
    throw Object.assign(syntaxError(`Invalid URL: ${String(input)}`), { cause });
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw syntaxError(`The URL's scheme must be ws, wss, http or https, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.hash !== '' || String(input).includes('#')) {
    throw syntaxError('A WebSocket URL must not contain a fragment');
  }
  return url;
}

/** WHATWG step 8: every protocol a token, none twice. */
export function normaliseProtocols(protocols: string | readonly string[] | undefined): string[] {
  const list = protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : [...protocols];
  const seen = new Set<string>();
  for (const protocol of list) {
    if (typeof protocol !== 'string' || !isToken(protocol)) {
      throw syntaxError(`Invalid subprotocol ${JSON.stringify(protocol)}: it must be an RFC 7230 token`);
    }
    if (seen.has(protocol)) throw syntaxError(`The subprotocol ${JSON.stringify(protocol)} is listed twice`);
    seen.add(protocol);
  }
  return list;
}

/**
 * Builds the client's opening handshake (RFC 6455 §4.1): a fresh key, the request target and
 * the ordered header list. Throws `SyntaxError` (DOMException) for bad URLs, schemes and
 * protocols; `TypeError` for bad header names or values and for attempts to override the
 * handshake's own headers.
 */
export function createHandshakeRequest(options: HandshakeRequestOptions): HandshakeRequest {
  const url = parseWebSocketUrl(options.url);
  const protocols = normaliseProtocols(options.protocols);
  const secure = url.protocol === 'wss:';
  const defaultPort = secure ? 443 : 80;
  const port = url.port === '' ? defaultPort : Number(url.port);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const key = options.key ?? generateKey();
  const extensions = options.extensions ?? [];

  // §4.1 client requirement 4: Host carries the port unless it is the scheme's default.
  const headers: Array<[string, string]> = [
    ['Host', port === defaultPort ? url.hostname : `${url.hostname}:${port}`],
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Key', key],
    ['Sec-WebSocket-Version', WEBSOCKET_VERSION],
  ];
  if (protocols.length > 0) headers.push(['Sec-WebSocket-Protocol', protocols.join(', ')]);
  if (extensions.length > 0) headers.push(['Sec-WebSocket-Extensions', extensions.map((e) => e.offer).join(', ')]);

  const extra = checkHandshakeHeaders(options.headers);
  const hasOrigin = extra.some(([name]) => name.toLowerCase() === 'origin');
  headers.push(...withOneCookieField(extra));
  if (options.origin !== undefined) {
    if (!isSafeHeaderValue(options.origin)) throw new TypeError('Invalid origin: it must not contain CR, LF or NUL');
    if (hasOrigin) throw new TypeError('Origin is given both as an option and as a header');
    headers.push(['Origin', options.origin]);
  }

  return {
    url,
    secure,
    hostname,
    port,
    target: `${url.pathname || '/'}${url.search}`,
    key,
    protocols,
    extensions,
    requireProtocol: options.requireProtocol ?? false,
    headers,
  };
}

/** The request as HTTP/1.1 text, ready to write to a socket. */
export function serializeHandshakeRequest(request: HandshakeRequest): string {
  let text = `GET ${request.target} HTTP/1.1\r\n`;
  for (const [name, value] of request.headers) text += `${name}: ${value}\r\n`;
  return `${text}\r\n`;
}

/**
 * `entries` with every `Cookie` entry merged into the first, their values joined with `; `: a
 * request carries at most one Cookie field (RFC 6265 §5.4), and a server may read only one.
 */
function withOneCookieField(entries: Array<[string, string]>): Array<[string, string]> {
  const isCookie = ([name]: [string, string]): boolean => name.toLowerCase() === 'cookie';
  const cookies = entries.filter(isCookie);
  const first = cookies[0];
  if (first === undefined || cookies.length === 1) return entries;
  const merged: [string, string] = [first[0], cookies.map(([, value]) => value).join('; ')];
  return entries.flatMap((entry) => (entry === first ? [merged] : isCookie(entry) ? [] : [entry]));
}
