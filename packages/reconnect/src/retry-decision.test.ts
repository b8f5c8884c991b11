import { describe, expect, it } from 'vitest';
import { attemptFailure } from '../test-support/attempt-failure.js';
import type { Classifier } from './classifier.js';
import { resolveReconnectOptions } from './options.js';
import { decideRetry } from './retry-decision.js';

const failure = attemptFailure();

function decide(attempt: number, retry: Parameters<typeof resolveReconnectOptions>[0] = {}) {
  const errors: unknown[] = [];
  const policy = resolveReconnectOptions(retry).retry;
  const verdict = decideRetry({ attempt, elapsedMs: 50, failure, previousFailure: undefined }, policy, (error) =>
    errors.push(error),
  );
  return { ...verdict, errors };
}

describe('decideRetry', () => {
  it('retries by the default classification, and shows the classifier what it decided', () => {
    const { decision, context, stopReason } = decide(1);
    expect(decision).toEqual({ action: 'retry', reason: 'close code 1006' });
    expect(stopReason).toBeUndefined();
    expect(context).toMatchObject({ attempt: 1, elapsedMs: 50, maxRetries: Number.POSITIVE_INFINITY });
    expect(context.defaultDecision).toBe(decision);
  });

  it("takes the user's classifier, normalised", () => {
    const classify: Classifier = (context) => ({ action: 'retry', delayMs: context.attempt * 100 });
    const { decision } = decide(3, { retry: { classify } });
    expect(decision).toEqual({ action: 'retry', delayMs: 300, reason: 'close code 1006' });
  });

  it('stops as classified when the classifier says stop, or throws (its error is handed over)', () => {
    expect(decide(1, { retry: { classify: () => 'stop' } })).toMatchObject({ stopReason: 'classified' });
    const bug = new Error('classifier bug');
    const thrown = decide(1, {
      retry: {
        classify: () => {
          throw bug;
        },
      },
    });
    expect(thrown).toMatchObject({
      stopReason: 'classified',
      decision: { action: 'stop', reason: 'the classifier threw' },
      errors: [bug],
    });
  });

  it('stops past maxRetries whatever the classifier says, keeping its reason', () => {
    expect(decide(2, { retry: { maxRetries: 2 } }).stopReason).toBeUndefined();
    const over = decide(3, { retry: { maxRetries: 2, classify: () => ({ action: 'retry', reason: 'keep going' }) } });
    expect(over.stopReason).toBe('max-retries');
    expect(over.decision).toEqual({ action: 'stop', reason: 'keep going' });
  });
});
