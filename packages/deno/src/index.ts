// The public surface of @sturdysocket/deno, listed by hand. The same adapter serves Bun.
import type { Transport } from '@sturdysocket/core';
import { denoCapabilities } from './capabilities.js';
import { createWebSocket } from './create-web-socket.js';

export { checkCloseArguments } from '@sturdysocket/core';
export { denoCapabilities } from './capabilities.js';
export { enforceCloseArguments } from './close-arguments.js';
export {
  createWebSocket,
  type HeaderCapableWebSocketConstructor,
  type NativeWebSocketInit,
  nativeWebSocket,
} from './create-web-socket.js';

/** Deno's (and Bun's) native `WebSocket` behind sturdysocket's seam, with handshake headers. */
export const denoTransport: Transport<WebSocket> = /* @__PURE__ */ Object.freeze({
  createWebSocket,
  capabilities: denoCapabilities,
});
