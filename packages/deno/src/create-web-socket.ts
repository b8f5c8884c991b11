import { type CreateWebSocketOptions, checkHandshakeHeaders } from '@sturdysocket/core';
import { enforceCloseArguments } from './close-arguments.js';
import { reportRefusedHandshakes } from './refused-handshake.js';

/**
 * The second constructor argument Deno and Bun accept besides a protocol list (Deno's
 * `WebSocketOptions`, Bun's `WebSocketOptions`; Node ≥ 22's undici `WebSocket` takes it too).
 */
export interface NativeWebSocketInit {
  /** Subprotocols to offer. */
  protocols?: string[];
  /** Extra handshake request headers. */
  headers?: Array<[string, string]>;
}

/** A `WebSocket` constructor that accepts `NativeWebSocketInit` as its second argument. */
export type HeaderCapableWebSocketConstructor = new (
  url: string | URL,
  protocolsOrInit?: string | string[] | NativeWebSocketInit,
) => WebSocket;

/**
 * The global `WebSocket` constructor, looked up when a socket is made. Feature detection only:
 * whether the constructor honours `headers` cannot be probed without connecting, which is why this
 * adapter is chosen by the `deno`/`bun` export conditions rather than by a runtime check.
 */
export function nativeWebSocket(): HeaderCapableWebSocketConstructor {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof candidate !== 'function') {
    throw new TypeError('This environment has no global WebSocket; in Node.js use @sturdysocket/node');
  }
  return candidate as HeaderCapableWebSocketConstructor;
}

/**
 * Opens a native `WebSocket` to `url` offering `options.protocols` and sending `options.headers`
 * with the opening handshake (so `Authorization` reaches the server). Headers are checked first:
 * a name that is not a token, a value with CR/LF/NUL, or a header the handshake owns (`Host`,
 * `Upgrade`, `Connection`, `Sec-WebSocket-*`) throws a `TypeError`.
 *
 * The result is the runtime's own `WebSocket`; only its `close()` is made to check its arguments
 * as WHATWG requires (see `enforceCloseArguments`), so misuse throws the same on Deno and Bun, and
 * a refused handshake's `error` event carries a `HandshakeError` with the status (see
 * `reportRefusedHandshakes`).
 */
export function createWebSocket(url: string | URL, options: CreateWebSocketOptions = {}): WebSocket {
  const headers = checkHandshakeHeaders(options.headers);
  const NativeWebSocket = nativeWebSocket();
  const { protocols } = options;
  const protocolList = protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : [...protocols];
  // Without headers the plain WHATWG form is used, so the adapter also works on a runtime whose
  // WebSocket knows no options object.
  const socket =
    headers.length === 0
      ? new NativeWebSocket(url, protocolList)
      : new NativeWebSocket(url, { protocols: protocolList, headers });
  reportRefusedHandshakes(socket);
  return enforceCloseArguments(socket);
}
