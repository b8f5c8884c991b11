import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BackoffPolicy, backoffCeiling, computeBackoffDelay } from './backoff.js';

const policy: BackoffPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, factor: 2, jitter: 'full' };

describe('backoffCeiling', () => {
  it('grows by the factor from the initial delay and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffCeiling(attempt, policy))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });

  it('stays at the maximum where the exponent overflows', () => {
    expect(backoffCeiling(5000, policy)).toBe(30_000);
  });
});

describe('computeBackoffDelay', () => {
  it('draws uniformly below the ceiling (full jitter)', () => {
    expect(computeBackoffDelay(3, policy, () => 0)).toBe(0);
    expect(computeBackoffDelay(3, policy, () => 0.5)).toBe(2000);
    expect(computeBackoffDelay(3, policy, () => 0.999_999)).toBe(3999);
  });

  it('returns the ceiling itself without jitter', () => {
    expect(computeBackoffDelay(2, { ...policy, jitter: 'none' }, () => 0)).toBe(2000);
  });

  it('clamps a random source that leaves [0, 1)', () => {
    expect(computeBackoffDelay(1, policy, () => -3)).toBe(0);
    expect(computeBackoffDelay(1, policy, () => 7)).toBe(999);
    expect(computeBackoffDelay(1, policy, () => Number.NaN)).toBe(0);
  });

  it('is always in [0, ceiling) and never above maxDelayMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        (attempt, draw, initialDelayMs, extra, factor) => {
          const p: BackoffPolicy = { initialDelayMs, maxDelayMs: initialDelayMs + extra, factor, jitter: 'full' };
          const delay = computeBackoffDelay(attempt, p, () => draw);
          const ceiling = backoffCeiling(attempt, p);
          return Number.isInteger(delay) && delay >= 0 && delay < Math.max(1, ceiling) && delay <= p.maxDelayMs;
        },
      ),
    );
  });
});
