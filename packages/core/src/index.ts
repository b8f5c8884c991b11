// The public surface of @sturdysocket/core, listed by hand: nothing is exported by accident.

// Handshake (RFC 6455 §1.3, §4.1, §4.2.2)
export { computeAccept, constantTimeEqual, type Sha1, verifyAccept } from './accept.js';
export { decodeBase64, encodeBase64, encodeBase64Url } from './base64.js';
// WHATWG `close(code, reason)`: the arguments' conversions and checks
export { checkCloseArguments } from './close-arguments.js';
// Close codes (RFC 6455 §7.4)
export {
  CloseCode,
  type CloseCodeName,
  closeReasonByteLength,
  isApplicationCloseCode,
  isClientCloseCode,
  isValidCloseCode,
  MAX_CLOSE_REASON_BYTES,
} from './close-codes.js';
export { MAX_TIMER_DELAY_MS, WEBSOCKET_GUID, WEBSOCKET_VERSION } from './constants.js';
// Errors
export {
  HandshakeError,
  type HandshakeErrorOptions,
  type HandshakeFailureReason,
  ProtocolError,
  type ProtocolErrorOptions,
  type ProtocolViolation,
  SturdySocketError,
  type SturdySocketErrorOptions,
} from './errors/index.js';
export {
  type ExtensionEntry,
  type ExtensionOffer,
  type ExtensionParam,
  type NegotiatedExtension,
  parseExtensions,
} from './extensions.js';
// Utilities the runtime packages share
export { Fifo } from './fifo.js';
export {
  createHandshakeRequest,
  type HandshakeRequest,
  type HandshakeRequestOptions,
  normaliseProtocols,
  parseWebSocketUrl,
  serializeHandshakeRequest,
} from './handshake-request.js';
export {
  type HandshakeResponse,
  type HandshakeResult,
  type HandshakeValidationOptions,
  validateHandshakeResponse,
} from './handshake-response.js';
export {
  DEFAULT_SECRET_HEADERS,
  type HeadersInput,
  headerEntries,
  headerRecord,
  redactHeaders,
  secretHeaderNames,
} from './headers.js';
export {
  DEFAULT_MAX_RESPONSE_HEADER_BYTES,
  type HttpResponseHead,
  HttpResponseHeadReader,
} from './http-response-head.js';
export { isSafeHeaderValue, isToken } from './http-token.js';
export { invokeSafely, reportUncaught } from './invoke-safely.js';
export { generateKey, isValidKey, KEY_BYTES } from './key.js';
// What a runtime tells the reconnect layer about the page's or worker's life
export type { LifecycleSignal, LifecycleSignals } from './lifecycle.js';

// Protocol engine (RFC 6455 §5–§7) — see ./protocol/

export { type ClosePayload, encodeClosePayload, parseClosePayload } from './protocol/close-frame.js';
export { ProtocolEngine, type ProtocolEngineOptions, type SendOptions } from './protocol/engine.js';
export { FrameParser, type FrameParserOptions, type FrameSink } from './protocol/frame-parser.js';
export { clientHeaderLength, FrameWriter } from './protocol/frame-writer.js';
export { mask, unmask } from './protocol/mask.js';
export { MASK_KEY_POOL_BYTES, MaskKeyPool, type RandomFill } from './protocol/mask-key-pool.js';
export type { MessageCodec } from './protocol/message-codec.js';
export { isControlOpcode, isKnownOpcode, MAX_CONTROL_PAYLOAD_BYTES, Opcode } from './protocol/opcode.js';
export {
  createPermessageDeflateOffer,
  DEFAULT_PERMESSAGE_DEFLATE_OPTIONS,
  DEFLATE_TRAILER,
  PERMESSAGE_DEFLATE,
  type PermessageDeflateConfig,
  type PermessageDeflateOptions,
  stripDeflateTrailer,
} from './protocol/permessage-deflate.js';
export {
  DEFAULT_PROTOCOL_LIMITS,
  type EngineState,
  type ProtocolHandler,
  type ProtocolLimits,
} from './protocol/types.js';
export { decodeUtf8, isValidTail, Utf8Validator } from './protocol/utf8-validator.js';
// Transport seam: what a runtime adapter provides (see ./transport.ts)
export {
  type CreateWebSocketOptions,
  checkHandshakeHeaders,
  HANDSHAKE_OWNED_HEADERS,
  type Transport,
  type TransportCapabilities,
  type WebSocketFactory,
} from './transport.js';
