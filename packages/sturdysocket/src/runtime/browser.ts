// sturdysocket for browsers (the `browser` export condition and the `sturdysocket/browser`
// subpath): the native WebSocket plus the page's lifecycle signals. No `node:` import, no polyfill.
export {
  browserCapabilities as capabilities,
  browserTransport as transport,
  createLifecycleSignals,
  createWebSocket,
  type LifecycleSignal,
  type LifecycleSignals,
} from '@sturdysocket/browser';

/** This runtime's `WebSocket` class: the platform's own (undefined where there is none). */
export const WebSocket: typeof globalThis.WebSocket = globalThis.WebSocket;
