// The public surface of @sturdysocket/node, listed by hand: nothing is exported by accident.

// From @sturdysocket/core, so users need not depend on it: the errors reported on `error` and the
// permessage-deflate defaults.
export {
  DEFAULT_PERMESSAGE_DEFLATE_OPTIONS,
  HandshakeError,
  type HandshakeFailureReason,
  ProtocolError,
  type ProtocolViolation,
} from '@sturdysocket/core';
export type { NodePermessageDeflateOptions } from './deflate/index.js';
export {
  type CloseMessage,
  type ControlFrameMessage,
  DIAGNOSTICS_CHANNELS,
  type HandshakeRequestMessage,
  type HandshakeResponseMessage,
  type OpenMessage,
} from './diagnostics.js';
export type { CreateConnectionOptions } from './establish-connection.js';
export { CloseEvent, type CloseEventInit, ErrorEvent, type ErrorEventInit } from './events.js';
export type { HandshakeExtension, HandshakeInfo } from './handshake-info.js';
export type { BinaryType } from './inbound-data.js';
export { DEFAULT_NODE_WEBSOCKET_OPTIONS, type NodeWebSocketOptions } from './options.js';
export { RedirectEvent, type RedirectEventInit } from './redirect-event.js';
export { createWebSocket, nodeCapabilities, nodeTransport } from './transport.js';
export { WebSocket } from './websocket.js';
export type { WebSocketEventHandler, WebSocketEventMap } from './websocket-event-target.js';
