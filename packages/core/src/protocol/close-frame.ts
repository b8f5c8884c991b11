import { CloseCode, isValidCloseCode, MAX_CLOSE_REASON_BYTES } from '../close-codes.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { decodeUtf8 } from './utf8-validator.js';

/**
 * The close frame's body (RFC 6455 §5.5.1): empty, or a 2-byte big-endian status code followed by
 * a UTF-8 reason.
 */
export interface ClosePayload {
  /** The status code; 1005 (No Status Received, §7.4.1) when the body was empty. */
  readonly code: number;
  /** The reason, `''` when absent. */
  readonly reason: string;
}

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * Reads a peer's close body. Returns the code and reason, or the `ProtocolError` to fail the
 * connection with:
 * - a 1-byte body cannot hold a status code (§5.5.1) → 1002;
 * - a code that may not appear on the wire (§7.4.1, §7.4.2: 1004–1006, 1015, 1016–2999, ≥ 5000)
 *   → 1002;
 * - a reason that is not valid UTF-8 (§5.5.1: "the data … is not guaranteed to be human readable"
 *   but "MUST be UTF-8", §8.1) → 1007.
 */
export function parseClosePayload(payload: Uint8Array): ClosePayload | ProtocolError {
  if (payload.length === 0) return { code: CloseCode.NoStatusReceived, reason: '' };
  if (payload.length === 1) {
    return new ProtocolError('invalid-close-payload', 'A close frame carried a 1-byte body', {
      closeCode: CloseCode.ProtocolError,
    });
  }
  const code = (payload[0]! << 8) | payload[1]!;
  if (!isValidCloseCode(code)) {
    return new ProtocolError('invalid-close-code', `A close frame carried the invalid status code ${code}`, {
      closeCode: CloseCode.ProtocolError,
    });
  }
  const reason = decodeUtf8(payload.subarray(2));
  if (reason === undefined) {
    return new ProtocolError('invalid-utf8', 'A close frame carried a reason that is not valid UTF-8', {
      closeCode: CloseCode.InvalidPayload,
    });
  }
  return { code, reason };
}

/**
 * The body of a close frame we send. Without `code` the body is empty (the peer reports 1005);
 * a reason needs a code (§5.5.1).
 * @throws {DOMException} `InvalidAccessError` for a code that may not be sent, `SyntaxError` for a
 *   reason over 123 UTF-8 bytes — the exceptions WHATWG `close()` names for the same mistakes.
 */
export function encodeClosePayload(code?: number, reason = ''): Uint8Array {
  if (code === undefined) {
    if (reason !== '') throw new DOMException('A close reason needs a close code', 'InvalidAccessError');
    return new Uint8Array(0);
  }
  if (!isValidCloseCode(code)) {
    throw new DOMException(`The close code ${code} may not be sent (RFC 6455 §7.4)`, 'InvalidAccessError');
  }
  // Every UTF-16 unit encodes to at least one byte, so a longer string can be refused unencoded.
  const payload = new Uint8Array(2 + Math.min(reason.length, MAX_CLOSE_REASON_BYTES + 1) * 3);
  payload[0] = code >>> 8;
  payload[1] = code & 0xff;
  const { read, written } = encoder.encodeInto(reason, payload.subarray(2));
  if (read < reason.length || written > MAX_CLOSE_REASON_BYTES) {
    throw new DOMException(
      `A close reason may hold at most ${MAX_CLOSE_REASON_BYTES} UTF-8 bytes, got at least ${written}`,
      'SyntaxError',
    );
  }
  return payload.subarray(0, 2 + written);
}
