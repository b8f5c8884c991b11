import { type CreateWebSocketOptions, type HeadersInput, headerEntries } from '@sturdysocket/core';

/** The WHATWG `WebSocket` constructor, as every browser and Worker has it. */
type NativeWebSocketConstructor = new (url: string | URL, protocols?: string | string[]) => WebSocket;

/**
 * The global `WebSocket` constructor, looked up when a socket is made (so a polyfill installed
 * later, or a test's replacement, is honoured). Feature detection only: no runtime is named.
 */
export function nativeWebSocket(): NativeWebSocketConstructor {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof candidate !== 'function') {
    throw new TypeError(
      'This environment has no global WebSocket; in Node.js use @sturdysocket/node (or sturdysocket, which picks it)',
    );
  }
  return candidate as NativeWebSocketConstructor;
}

/**
 * Throws the `TypeError` `createWebSocket` throws when `headers` names a header (a browser cannot
 * send any), so that a caller can refuse them once, before it opens anything. `sturdysocket`'s
 * `connect()` applies it to every transport without the `headers` capability.
 */
export function refuseHandshakeHeaders(headers: HeadersInput | undefined): void {
  // `undefined` values and empty lists name no header.
  if (headerEntries(headers).length > 0) {
    throw new TypeError(
      'This WebSocket cannot send custom handshake headers; send credentials by subprotocol, query or message',
    );
  }
}

/**
 * Opens a native `WebSocket` to `url` offering `options.protocols`. The result is the runtime's own
 * object, untouched: events, `binaryType`, `close()` behave exactly as the platform defines them.
 *
 * A browser cannot send custom handshake headers, so a non-empty `options.headers` is refused with a
 * `TypeError` instead of being silently dropped (which would turn into a confusing 401 later); send
 * credentials with the subprotocol, query or first-message carrier instead.
 */
export function createWebSocket(url: string | URL, options: CreateWebSocketOptions = {}): WebSocket {
  refuseHandshakeHeaders(options.headers);
  const NativeWebSocket = nativeWebSocket();
  // WebIDL reads `protocols` at once, copying a list and taking `undefined` as none offered.
  return new NativeWebSocket(url, options.protocols as string | string[] | undefined);
}
