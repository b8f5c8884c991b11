// What every runtime entry exports besides its transport: the connect() building blocks, the
// layers' classes and the errors to test for. Listed by hand.
export { AuthError, type AuthLayer, type AuthOptions, tokenAuth } from '@sturdysocket/auth';
export { CloseCode, HandshakeError, ProtocolError, SturdySocketError } from '@sturdysocket/core';
export {
  type BeforeFlushContext,
  type BeforeFlushHook,
  type HandshakeReader,
  type HeartbeatLayer,
  type HeartbeatOptions,
  HeartbeatTimeoutError,
  heartbeat,
  IteratorOverflowError,
  type MessagesOptions,
  type OpenGateLayer,
  openGate,
  ReconnectingWebSocket,
  type ReconnectOptions,
  ReconnectStoppedError,
  readHandshake,
  type SendReceipt,
  type SendStatus,
} from '@sturdysocket/reconnect';
export { CodecError, jsonCodec, type MessageCodec, type WireData } from '../codec.js';
export { type ConnectOptions, createConnect, type RuntimeBinding, transportFromConstructor } from '../connect.js';
export { messages } from '../messages.js';
export { SturdySocket, type SturdySocketEvents } from '../sturdy-socket.js';
