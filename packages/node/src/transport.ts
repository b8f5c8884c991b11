import type { CreateWebSocketOptions, Transport, TransportCapabilities } from '@sturdysocket/core';
import type { NodeWebSocketOptions } from './options.js';
import { WebSocket } from './websocket.js';

/**
 * What this package's `WebSocket` can do beyond WHATWG: it performs the handshake itself, so it
 * sends any request header, has protocol-level `ping()`, and reports handshake details.
 */
export const nodeCapabilities: TransportCapabilities = /* @__PURE__ */ Object.freeze({
  headers: true,
  ping: true,
  handshakeDetails: true,
});

/**
 * Opens a `WebSocket` offering `options.protocols` and sending `options.headers`, with the rest of
 * its options (TLS, timeouts, `perMessageDeflate`…) from `base`.
 */
export function createWebSocket(
  url: string | URL,
  options: CreateWebSocketOptions = {},
  base: Omit<NodeWebSocketOptions, keyof CreateWebSocketOptions> = {},
): WebSocket {
  return new WebSocket(url, {
    ...base,
    protocols: options.protocols,
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(options.secretProtocols === undefined ? {} : { secretProtocols: options.secretProtocols }),
  });
}

/** This package's `WebSocket` behind sturdysocket's transport seam (as the browser and Deno adapters). */
export const nodeTransport: Transport<WebSocket> = /* @__PURE__ */ Object.freeze({
  createWebSocket,
  capabilities: nodeCapabilities,
});
