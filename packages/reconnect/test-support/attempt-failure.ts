import type { AttemptFailure } from '../src/classifier.js';

/** A failure record for tests: a close 1006 before open, with `overrides` on top. */
export function attemptFailure(overrides: Partial<AttemptFailure> = {}): AttemptFailure {
  return {
    kind: 'close',
    code: 1006,
    closeReason: '',
    wasClean: false,
    error: undefined,
    handshake: undefined,
    retryAfterMs: undefined,
    uptimeMs: undefined,
    at: 0,
    ...overrides,
  };
}
