import { checkHandshakeHeaders } from '@sturdysocket/core';
import { denoTransport } from '@sturdysocket/deno';
import { heartbeat, readHandshake } from '@sturdysocket/reconnect';
import { createConnect } from '../connect.js';

// sturdysocket for Deno (the `deno` export condition and the `sturdysocket/deno` subpath): the
// native WebSocket with handshake headers. The same build serves the `bun` condition: Bun's
// WebSocket takes `{ protocols, headers }` as Deno's does.
export { createWebSocket, denoCapabilities as capabilities, denoTransport as transport } from '@sturdysocket/deno';

/** This runtime's `WebSocket` class: the platform's own, which takes `{ protocols, headers }`. */
export const WebSocket: typeof globalThis.WebSocket = globalThis.WebSocket;

/** Opens a sturdy connection with the native WebSocket (headers included). See `ConnectOptions`. */
export const connect = /* @__PURE__ */ createConnect<never>({
  transport: () => denoTransport,
  checkHeaders: checkHandshakeHeaders,
  // Deno's and Bun's own WebSocket has no protocol ping, so this heartbeat pings only through a
  // class given as `WebSocket` that has one, as every runtime but the browser's always did.
  heartbeat: () => heartbeat(),
  // Deno's and Bun's own WebSocket shows no handshake; a class given as `WebSocket` (`ws`) may.
  readHandshake,
});

export {
  AuthError,
  type AuthLayer,
  type AuthOptions,
  type BeforeFlushContext,
  type BeforeFlushHook,
  CloseCode,
  CodecError,
  type ConnectOptions,
  createConnect,
  HandshakeError,
  type HandshakeReader,
  type HeartbeatLayer,
  type HeartbeatOptions,
  HeartbeatTimeoutError,
  heartbeat,
  IteratorOverflowError,
  jsonCodec,
  type MessageCodec,
  type MessagesOptions,
  messages,
  type OpenGateLayer,
  openGate,
  ProtocolError,
  ReconnectingWebSocket,
  type ReconnectOptions,
  ReconnectStoppedError,
  type RuntimeBinding,
  readHandshake,
  type SendReceipt,
  type SendStatus,
  SturdySocket,
  SturdySocketError,
  type SturdySocketEvents,
  tokenAuth,
  transportFromConstructor,
  type WireData,
} from './common.js';
