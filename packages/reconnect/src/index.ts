// The public surface of @sturdysocket/reconnect, listed by hand: nothing is exported by accident.

export type { LifecycleSignal, LifecycleSignals } from '@sturdysocket/core';
export { type BackoffPolicy, backoffCeiling, computeBackoffDelay } from './backoff.js';
export {
  type AttemptFailure,
  type AttemptFailureKind,
  type Classifier,
  type ClassifierPolicy,
  type ClassifierResult,
  DEFAULT_CLASSIFIER_POLICY,
  defaultClassifier,
  FATAL_CLOSE_CODES,
  FATAL_HTTP_STATUSES,
  type HandshakeFailure,
  normaliseDecision,
  RETRY_AFTER_HTTP_STATUSES,
  type RetryAction,
  type RetryContext,
  type RetryDecision,
} from './classifier.js';
export { type Clock, systemClock } from './clock.js';
export {
  ConnectionTimeoutError,
  type DropReason,
  HeartbeatTimeoutError,
  IteratorOverflowError,
  MessageDroppedError,
  OpenGateError,
  OutboxFullError,
  ProviderError,
  type ProviderName,
  ReconnectStoppedError,
  TransportError,
} from './errors/index.js';
export type {
  AddEventListenerOptionsLike,
  CloseInfo,
  ConnectingInfo,
  DropInfo,
  EventListenerLike,
  FailureInfo,
  OpenInfo,
  ReconnectEventMap,
  ReconnectingCloseEvent,
  ReconnectingErrorEvent,
  ReconnectingInfo,
  ReconnectingMessageEvent,
  ReconnectingOpenEvent,
  StateChange,
  WebSocketEventLike,
  WebSocketEventMapLike,
  WebSocketEventType,
} from './events.js';
export {
  type HandshakeReader,
  type HandshakeReading,
  readHandshake,
  watchUnexpectedResponses,
} from './handshake-reader.js';
export { Heartbeat, type HeartbeatHooks, type HeartbeatTiming } from './heartbeat.js';
export {
  type ConnectionHeartbeat,
  type HeartbeatEvents,
  type HeartbeatLayer,
  heartbeat,
} from './heartbeat-layer.js';
export { type MessageEvents, type MessagesOptions, messages } from './message-iterator.js';
export { type OpenGateLayer, openGate, type RunningOpenGate } from './open-gate-layer.js';
export {
  type BeforeFlushContext,
  type BeforeFlushHook,
  type CoreReconnectOptions,
  DEFAULT_RECONNECT_OPTIONS,
  type HeartbeatOptions,
  type LegacyOptionName,
  type OutboxOptions,
  type Provider,
  ReconnectCloseCode,
  type ReconnectLoopOptions,
  type ReconnectOptions,
  type ResolvedReconnectOptions,
  type RetryOptions,
  resolveReconnectOptions,
} from './options.js';
export {
  exceededLimit,
  type MessageData,
  messageByteLength,
  type OutboxPolicy,
  type OverflowPolicy,
} from './outbox.js';
export type { SendReceipt, SendStatus } from './outbox-dispatcher.js';
export type { ProtocolsProvider, UrlProvider } from './providers.js';
export { ReconnectLoop } from './reconnect-loop.js';
export { ReconnectingWebSocket } from './reconnecting-websocket.js';
export { ReconnectingWebSocketCore } from './reconnecting-websocket-core.js';
export { parseRetryAfter } from './retry-after.js';
export {
  assertTransition,
  canTransition,
  type ReconnectState,
  readyStateOf,
  STATE_TRANSITIONS,
} from './state-machine.js';
export type {
  FactoryContext,
  TransportEvent,
  WebSocketConstructorLike,
  WebSocketFactory,
  WebSocketLike,
} from './transport.js';
