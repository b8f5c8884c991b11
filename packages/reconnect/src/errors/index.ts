export { ConnectionTimeoutError } from './connection-timeout-error.js';
export { HeartbeatTimeoutError } from './heartbeat-timeout-error.js';
export { IteratorOverflowError } from './iterator-overflow-error.js';
export { type DropReason, MessageDroppedError } from './message-dropped-error.js';
export { OpenGateError } from './open-gate-error.js';
export { OutboxFullError } from './outbox-full-error.js';
export { ProviderError, type ProviderName } from './provider-error.js';
export { ReconnectStoppedError } from './reconnect-stopped-error.js';
export { TransportError } from './transport-error.js';
