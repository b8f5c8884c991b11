import type { AttemptFailure, AttemptFailureKind } from './classifier.js';
import type { HandshakeReader } from './handshake-reader.js';
import type { TransportEvent } from './transport.js';

/** The close details of a failure, where there are any. */
export interface FailureClose {
  readonly code?: number;
  readonly closeReason?: string;
  readonly wasClean?: boolean;
}

/**
 * The record of one failure: the handshake details and `Retry-After` are what `read` finds in
 * `error` (nothing without a reader); a failure without a close frame reports 1006, as browsers do.
 */
export function describeFailure(
  kind: AttemptFailureKind,
  error: unknown,
  close: FailureClose,
  openedAt: number | undefined,
  now: number,
  read?: HandshakeReader,
): AttemptFailure {
  const reading = read?.(error, now);
  return {
    kind,
    code: close.code ?? 1006, // AbnormalClosure
    closeReason: close.closeReason ?? '',
    wasClean: close.wasClean ?? false,
    error,
    handshake: reading?.handshake,
    retryAfterMs: reading?.retryAfterMs,
    uptimeMs: openedAt === undefined ? undefined : now - openedAt,
    at: now,
  };
}

/**
 * The failure a transport's `close` event reports, given the `error` event before it (if any):
 * `handshake` when `read` finds a refused handshake in that error, `transport` when the connection
 * never opened and an error explains why, `close` otherwise.
 */
export function failureFromClose(
  event: TransportEvent,
  error: unknown,
  transportOpened: boolean,
  openedAt: number | undefined,
  now: number,
  read?: HandshakeReader,
): AttemptFailure {
  const failure = describeFailure(
    !transportOpened && error !== undefined ? 'transport' : 'close',
    error,
    {
      code: typeof event.code === 'number' ? event.code : 1006, // AbnormalClosure
      closeReason: typeof event.reason === 'string' ? event.reason : '',
      wasClean: event.wasClean === true,
    },
    openedAt,
    now,
    read,
  );
  return failure.handshake === undefined ? failure : { ...failure, kind: 'handshake' };
}
