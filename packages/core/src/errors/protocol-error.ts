import { SturdySocketError, type SturdySocketErrorOptions } from './sturdy-socket-error.js';

/**
 * Which RFC 6455 / RFC 7692 rule a peer broke. Stable strings.
 */
export type ProtocolViolation =
  | 'masked-frame'
  | 'reserved-bits'
  | 'reserved-opcode'
  | 'control-frame-too-long'
  | 'fragmented-control-frame'
  | 'unexpected-continuation'
  | 'expected-continuation'
  | 'invalid-length'
  | 'invalid-utf8'
  | 'invalid-close-payload'
  | 'invalid-close-code'
  | 'message-too-big'
  | 'too-many-fragments'
  | 'buffer-limit'
  | 'inflate-failed'
  | 'deflate-failed';

export interface ProtocolErrorOptions extends SturdySocketErrorOptions {
  /** The close code to fail the connection with (RFC 6455 §7.4.1). */
  closeCode: number;
}

/** The peer broke the protocol; the connection is failed with `closeCode` (§7.1.7). */
export class ProtocolError extends SturdySocketError {
  static override readonly brand: string = 'ProtocolError';

  /** Which rule was broken. */
  declare readonly violation: ProtocolViolation;
  /** The close code sent to the peer: 1002, 1007 or 1009. */
  declare readonly closeCode: number;

  constructor(violation: ProtocolViolation, message: string, options: ProtocolErrorOptions) {
    super('ERR_WS_PROTOCOL', message, options);
    this.violation = violation;
    this.closeCode = options.closeCode;
  }
}
