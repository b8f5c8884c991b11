// The public surface of @sturdysocket/browser, listed by hand.
import type { Transport } from '@sturdysocket/core';
import { browserCapabilities } from './capabilities.js';
import { createWebSocket } from './create-web-socket.js';

export type { LifecycleSignal, LifecycleSignals } from '@sturdysocket/core';
export { browserCapabilities } from './capabilities.js';
export { createWebSocket, nativeWebSocket, refuseHandshakeHeaders } from './create-web-socket.js';
export {
  type BrowserLifecycleOptions,
  createLifecycleSignals,
  type LifecycleDocument,
  type LifecycleEventTarget,
} from './lifecycle-signals.js';

/** The native `WebSocket` behind sturdysocket's seam: no headers, no ping, no handshake details. */
export const browserTransport: Transport<WebSocket> = /* @__PURE__ */ Object.freeze({
  createWebSocket,
  capabilities: browserCapabilities,
});
