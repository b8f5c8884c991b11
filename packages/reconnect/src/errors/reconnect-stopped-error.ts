import { SturdySocketError } from '@sturdysocket/core';
import type { AttemptFailure, RetryDecision } from '../classifier.js';

/**
 * The loop ended without the user asking: the classifier said `stop`, or `retry.maxRetries`
 * consecutive failures were reached. Reported as an `error` event just before the final `close`.
 */
export class ReconnectStoppedError extends SturdySocketError {
  static override readonly brand: string = 'ReconnectStoppedError';

  /** `classified`: the classifier returned `stop`; `max-retries`: the retry budget ran out. */
  declare readonly stopReason: 'classified' | 'max-retries';
  /** The failure that ended the loop. */
  declare readonly failure: AttemptFailure;
  /** The decision that ended the loop. */
  declare readonly decision: RetryDecision;

  constructor(stopReason: 'classified' | 'max-retries', failure: AttemptFailure, decision: RetryDecision) {
    super('ERR_RECONNECT_STOPPED', `Stopped reconnecting (${stopReason}): ${decision.reason}`, {
      cause: decision.error ?? failure.error,
    });
    this.stopReason = stopReason;
    this.failure = failure;
    this.decision = decision;
  }
}
