// sturdysocket for Deno (the `deno` export condition and the `sturdysocket/deno` subpath): the
// native WebSocket with handshake headers.
export { createWebSocket, denoCapabilities as capabilities, denoTransport as transport } from '@sturdysocket/deno';

/** This runtime's `WebSocket` class: the platform's own, which takes `{ protocols, headers }`. */
export const WebSocket: typeof globalThis.WebSocket = globalThis.WebSocket;
