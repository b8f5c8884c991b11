import { denoTransport } from '@sturdysocket/deno';
import { createConnect } from '../connect.js';

// sturdysocket for Deno (the `deno` export condition and the `sturdysocket/deno` subpath): the
// native WebSocket with handshake headers. The same build serves the `bun` condition: Bun's
// WebSocket takes `{ protocols, headers }` as Deno's does.
export { createWebSocket, denoCapabilities as capabilities, denoTransport as transport } from '@sturdysocket/deno';

/** This runtime's `WebSocket` class: the platform's own, which takes `{ protocols, headers }`. */
export const WebSocket: typeof globalThis.WebSocket = globalThis.WebSocket;

/** Opens a sturdy connection with the native WebSocket (headers included). See `ConnectOptions`. */
export const connect = /* @__PURE__ */ createConnect<never>({ transport: () => denoTransport });

export {
  AuthError,
  type AuthLayer,
  type AuthOptions,
  CloseCode,
  CodecError,
  type ConnectOptions,
  createConnect,
  HandshakeError,
  IteratorOverflowError,
  jsonCodec,
  type MessageCodec,
  ProtocolError,
  ReconnectingWebSocket,
  type ReconnectOptions,
  ReconnectStoppedError,
  type RuntimeBinding,
  type SendReceipt,
  type SendStatus,
  SturdySocket,
  SturdySocketError,
  type SturdySocketEvents,
  tokenAuth,
  transportFromConstructor,
  type WireData,
} from './common.js';
