// sturdysocket for Node.js (the `node` export condition and the `sturdysocket/node` subpath): our
// own RFC 6455 client on node:net/node:tls, with headers, protocol pings and handshake details.
import {
  type CreateWebSocketOptions,
  checkHandshakeHeaders,
  type Transport,
  type TransportCapabilities,
} from '@sturdysocket/core';
import { type NodeWebSocketOptions, WebSocket } from '@sturdysocket/node';
import { heartbeat, readHandshake } from '@sturdysocket/reconnect';
import { createConnect } from '../connect.js';

export { WebSocket };

/** `@sturdysocket/node` performs the handshake itself, so it can send and report everything. */
export const capabilities: TransportCapabilities = /* @__PURE__ */ Object.freeze({
  headers: true,
  ping: true,
  handshakeDetails: true,
});

/** Opens a `@sturdysocket/node` `WebSocket` offering `options.protocols` and sending `options.headers`. */
export function createWebSocket(url: string | URL, options: CreateWebSocketOptions = {}): WebSocket {
  return new WebSocket(url, { protocols: options.protocols, headers: options.headers });
}

/** The Node transport behind sturdysocket's seam. */
export const transport: Transport<WebSocket> = /* @__PURE__ */ Object.freeze({ createWebSocket, capabilities });

/** What `connect()` passes to every `@sturdysocket/node` WebSocket: all but protocols and headers. */
export type NodeTransportOptions = Omit<NodeWebSocketOptions, 'protocols' | 'headers'>;

/**
 * Opens a sturdy connection with `@sturdysocket/node` (our own handshake, protocol pings, typed
 * handshake failures), the reconnect layer and, when `auth` is given, the auth layer. Node
 * transport options (TLS, timeouts, `perMessageDeflate`…) go in `options.transport`.
 */
export const connect = /* @__PURE__ */ createConnect<NodeTransportOptions>({
  transport: (options) => ({
    capabilities,
    createWebSocket: (url, { protocols, headers } = {}) =>
      new WebSocket(url, { ...options, protocols, ...(headers === undefined ? {} : { headers }) }),
  }),
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
