// sturdysocket for Bun (the `bun` export condition): Bun's native WebSocket takes
// `{ protocols, headers }` as Deno's does, so the Deno adapter serves it.
export { capabilities, createWebSocket, transport, WebSocket } from './deno.js';
