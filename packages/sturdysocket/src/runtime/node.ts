// sturdysocket for Node.js (the `node` export condition and the `sturdysocket/node` subpath): our
// own RFC 6455 client on node:net/node:tls, with headers, protocol pings and handshake details.
import { type CreateWebSocketOptions, checkHandshakeHeaders } from '@sturdysocket/core';
import {
  nodeCapabilities as capabilities,
  createWebSocket,
  type NodeWebSocketOptions,
  nodeTransport as transport,
  WebSocket,
} from '@sturdysocket/node';
import { heartbeat, readHandshake } from '@sturdysocket/reconnect';
import { createConnect } from '../connect.js';

// `@sturdysocket/node` performs the handshake itself, so it can send and report everything.
export { capabilities, createWebSocket, transport, WebSocket };

/** What `connect()` passes to every `@sturdysocket/node` WebSocket: all but what the seam gives per connection. */
export type NodeTransportOptions = Omit<NodeWebSocketOptions, keyof CreateWebSocketOptions>;

/**
 * Opens a sturdy connection with `@sturdysocket/node` (our own handshake, protocol pings, typed
 * handshake failures), the reconnect layer and, when `auth` is given, the auth layer. Node
 * transport options (TLS, timeouts, `perMessageDeflate`…) go in `options.transport`.
 */
export const connect = /* @__PURE__ */ createConnect<NodeTransportOptions>({
  transport: (options) => ({ capabilities, createWebSocket: (url, given) => createWebSocket(url, given, options) }),
  checkHeaders: checkHandshakeHeaders,
  // Protocol pings, on unless `connect()` is given another heartbeat or `false`.
  heartbeat: () => heartbeat(),
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
