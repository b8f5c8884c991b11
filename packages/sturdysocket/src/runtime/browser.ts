import { browserTransport, createLifecycleSignals as lifecycleSignals } from '@sturdysocket/browser';
import { createConnect } from '../connect.js';

// sturdysocket for browsers (the `browser` export condition and the `sturdysocket/browser`
// subpath): the native WebSocket plus the page's lifecycle signals. No `node:` import, no polyfill.
// The same build serves the `worker` condition (only online/offline exist there), `react-native`
// (its global WebSocket follows the WHATWG constructor; the lifecycle signals find no window or
// document and stay silent) and `default` (edge runtimes, unknown bundler targets).
export {
  browserCapabilities as capabilities,
  browserTransport as transport,
  createLifecycleSignals,
  createWebSocket,
  type LifecycleSignal,
  type LifecycleSignals,
} from '@sturdysocket/browser';

/**
 * This runtime's `WebSocket` class: the platform's own (undefined where there is none). Read in a
 * pure call, so that a bundle which never imports it does not keep the read.
 */
export const WebSocket: typeof globalThis.WebSocket = /* @__PURE__ */ (() => globalThis.WebSocket)();

/**
 * Opens a sturdy connection with the native WebSocket, the page's lifecycle signals, the
 * reconnect layer and, when `auth` is given, the auth layer. See `ConnectOptions`. No heartbeat
 * unless one is given: a browser's WebSocket cannot send a ping frame, so only an application
 * ping (`heartbeat({ message, isPong })`) can detect a dead peer here.
 */
export const connect = /* @__PURE__ */ createConnect<never>({
  transport: () => browserTransport,
  lifecycle: lifecycleSignals,
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
