import { type HeadersInput, headerEntries } from './headers.js';
import { isSafeHeaderValue, isToken } from './http-token.js';

/**
 * What a runtime's WebSocket can do beyond the WHATWG `WebSocket` interface. The reconnect and
 * auth layers read it instead of sniffing the runtime: a capability that is `false` is absent,
 * never emulated or invented.
 */
export interface TransportCapabilities {
  /**
   * Custom handshake request headers (`Authorization`, cookies, tracing headers) reach the server.
   * Where `false`, the transport's factory refuses a non-empty `headers` option with a `TypeError`
   * rather than dropping it, and auth must use another carrier (subprotocol, query, message).
   */
  readonly headers: boolean;
  /**
   * The socket has a protocol-level `ping()` and reports pongs, so a heartbeat can use control
   * frames. Where `false`, a heartbeat needs an application-level ping/pong the server understands.
   */
  readonly ping: boolean;
  /**
   * A failed handshake reports the HTTP status and response headers (`HandshakeError.status`,
   * `.headers`), and an open socket exposes the handshake it performed. Where `false` (browsers,
   * Deno, Bun), a refused upgrade is an `error` event followed by close code 1006, with no headers
   * (so no `Retry-After`); a browser cannot even tell a 401 from a 503 or a refused TCP
   * connection, while the Deno adapter reads the status out of Deno's and Bun's error text.
   */
  readonly handshakeDetails: boolean;
}

/** The second argument of a transport's `createWebSocket`. */
export interface CreateWebSocketOptions {
  /**
   * Subprotocols to offer, most preferred first (RFC 6455 §4.1 `Sec-WebSocket-Protocol`). Each
   * must be an RFC 7230 token, none repeated; the runtime's `WebSocket` enforces it with a
   * `SyntaxError` (DOMException).
   * @default [] (none offered)
   */
  protocols?: string | readonly string[] | undefined;
  /**
   * Extra handshake request headers: a record, `[name, value]` pairs or a `Headers`. Only a
   * transport whose `capabilities.headers` is `true` accepts a non-empty value; the others throw
   * a `TypeError`. Names must be tokens, values free of CR, LF and NUL, and the handshake's own
   * headers (see `HANDSHAKE_OWNED_HEADERS`) cannot be set.
   * @default undefined (no extra headers)
   */
  headers?: HeadersInput | undefined;
  /**
   * Entries of `protocols` that carry a credential (the auth layer's subprotocol carrier). A
   * transport that shows its request headers anywhere (the Node transport's `handshake` and
   * diagnostics channels) shows these entries as `[redacted]`; the others need do nothing.
   * @default [] (none)
   */
  secretProtocols?: readonly string[] | undefined;
}

/**
 * Creates a connecting WebSocket-shaped object (WHATWG `WebSocket` interface) for `url`. It throws
 * synchronously for misuse (bad URL or protocols, headers the transport cannot send) and reports
 * connection failures asynchronously as `error` then `close` events, as `new WebSocket()` does.
 */
export type WebSocketFactory<Socket = WebSocket> = (url: string | URL, options?: CreateWebSocketOptions) => Socket;

/** A runtime's WebSocket behind sturdysocket's seam: a factory plus what it can do. */
export interface Transport<Socket = WebSocket> {
  /** Opens a connection; see `WebSocketFactory`. */
  readonly createWebSocket: WebSocketFactory<Socket>;
  /** What the sockets it creates can do. */
  readonly capabilities: TransportCapabilities;
}

/**
 * Request headers the opening handshake owns (RFC 6455 §4.1): a caller who set them would break
 * or forge the handshake, so every transport refuses them.
 */
export const HANDSHAKE_OWNED_HEADERS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'host',
  'upgrade',
  'connection',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-accept',
  'sec-websocket-protocol',
  'sec-websocket-extensions',
]);

/**
 * Flattens caller-given handshake headers into `[name, value]` pairs after checking each: the
 * name a token, the value free of CR, LF and NUL, the name not one of `HANDSHAKE_OWNED_HEADERS`.
 * Throws a `TypeError` naming the header (never echoing its value, which may be a credential).
 */
export function checkHandshakeHeaders(headers: HeadersInput | undefined): Array<[string, string]> {
  const entries = headerEntries(headers);
  for (const [name, value] of entries) {
    if (typeof name !== 'string' || !isToken(name)) throw new TypeError(`Invalid header name ${JSON.stringify(name)}`);
    if (typeof value !== 'string' || !isSafeHeaderValue(value)) {
      throw new TypeError(`Invalid value for header ${name}: it must not contain CR, LF or NUL`);
    }
    if (HANDSHAKE_OWNED_HEADERS.has(name.toLowerCase())) {
      throw new TypeError(
        `The ${name} header belongs to the handshake and cannot be set (use the protocols and extensions options)`,
      );
    }
  }
  return entries;
}
