export { HandshakeError, type HandshakeErrorOptions, type HandshakeFailureReason } from './handshake-error.js';
export { ProtocolError, type ProtocolErrorOptions, type ProtocolViolation } from './protocol-error.js';
export { SturdySocketError, type SturdySocketErrorOptions } from './sturdy-socket-error.js';
