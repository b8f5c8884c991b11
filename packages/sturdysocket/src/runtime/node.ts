// sturdysocket for Node.js (the `node` export condition and the `sturdysocket/node` subpath): our
// own RFC 6455 client on node:net/node:tls, with headers, protocol pings and handshake details.
import type { CreateWebSocketOptions, Transport, TransportCapabilities } from '@sturdysocket/core';
import { WebSocket } from '@sturdysocket/node';

export { WebSocket };

/** `@sturdysocket/node` performs the handshake itself, so it can send and report everything. */
export const capabilities: TransportCapabilities = /* @__PURE__ */ Object.freeze({
  headers: true,
  ping: true,
  handshakeDetails: true,
});

/** Opens a `@sturdysocket/node` `WebSocket` offering `options.protocols` and sending `options.headers`. */
export function createWebSocket(url: string | URL, options: CreateWebSocketOptions = {}): WebSocket {
  return new WebSocket(url, { protocols: options.protocols, headers: options.headers });
}

/** The Node transport behind sturdysocket's seam. */
export const transport: Transport<WebSocket> = /* @__PURE__ */ Object.freeze({ createWebSocket, capabilities });
