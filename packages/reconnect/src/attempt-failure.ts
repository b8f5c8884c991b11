import type { AttemptFailure, AttemptFailureKind } from './classifier.js';
import { parseRetryAfter } from './retry-after.js';
import { handshakeFailureOf, headerOf, type TransportEvent } from './transport.js';

/** The close details of a failure, where there are any. */
export interface FailureClose {
  readonly code?: number;
  readonly closeReason?: string;
  readonly wasClean?: boolean;
}

/**
 * The record of one failure: the handshake details and `Retry-After` are read from `error` when
 * the transport typed it; a failure without a close frame reports 1006, as browsers do.
 */
export function describeFailure(
  kind: AttemptFailureKind,
  error: unknown,
  close: FailureClose,
  openedAt: number | undefined,
  now: number,
): AttemptFailure {
  const handshake = handshakeFailureOf(error);
  return {
    kind,
    code: close.code ?? 1006, // AbnormalClosure
    closeReason: close.closeReason ?? '',
    wasClean: close.wasClean ?? false,
    error,
    handshake,
    retryAfterMs: parseRetryAfter(headerOf(handshake?.headers, 'retry-after'), now),
    uptimeMs: openedAt === undefined ? undefined : now - openedAt,
    at: now,
  };
}

/**
 * The failure a transport's `close` event reports, given the `error` event before it (if any):
 * `handshake` when that error is a typed handshake failure, `transport` when the connection never
 * opened and an error explains why, `close` otherwise.
 */
export function failureFromClose(
  event: TransportEvent,
  error: unknown,
  transportOpened: boolean,
  openedAt: number | undefined,
  now: number,
): AttemptFailure {
  const kind: AttemptFailureKind =
    handshakeFailureOf(error) !== undefined
      ? 'handshake'
      : !transportOpened && error !== undefined
        ? 'transport'
        : 'close';
  return describeFailure(
    kind,
    error,
    {
      code: typeof event.code === 'number' ? event.code : 1006, // AbnormalClosure
      closeReason: typeof event.reason === 'string' ? event.reason : '',
      wasClean: event.wasClean === true,
    },
    openedAt,
    now,
  );
}
