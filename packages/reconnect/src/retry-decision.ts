import { defaultClassifier, normaliseDecision, type RetryContext, type RetryDecision } from './classifier.js';
import type { ResolvedReconnectOptions } from './options.js';

/** Why the loop stops: the classifier said `stop`, or the retry budget ran out. */
export type StopReason = 'classified' | 'max-retries';

/** The verdict on one failure. */
export interface RetryVerdict {
  readonly decision: RetryDecision;
  /** What the classifier saw (and the `failure` event reports). */
  readonly context: RetryContext;
  /** Set when the loop must stop. */
  readonly stopReason: StopReason | undefined;
}

/**
 * Decides what follows failure number `attempt` of an outage: the default classification, then
 * the user's `retry.classify` (normalised; one that throws means `stop`, and its error goes to
 * `onClassifierError`), then `retry.maxRetries`, which no classifier overrides.
 */
export function decideRetry(
  seen: Pick<RetryContext, 'attempt' | 'elapsedMs' | 'failure' | 'previousFailure'>,
  policy: ResolvedReconnectOptions['retry'],
  onClassifierError: (error: unknown) => void,
): RetryVerdict {
  const defaultDecision = defaultClassifier(seen, policy);
  const context: RetryContext = { ...seen, maxRetries: policy.maxRetries, defaultDecision };
  let decision = defaultDecision;
  if (policy.classify !== undefined) {
    try {
      decision = normaliseDecision(policy.classify(context), defaultDecision.reason);
    } catch (error) {
      onClassifierError(error);
      decision = { action: 'stop', reason: 'the classifier threw' };
    }
  }
  if (decision.action === 'stop') return { decision, context, stopReason: 'classified' };
  if (seen.attempt > policy.maxRetries) {
    return { decision: { action: 'stop', reason: decision.reason }, context, stopReason: 'max-retries' };
  }
  return { decision, context, stopReason: undefined };
}
