import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  const now = Date.UTC(2026, 10, 22, 3, 0, 0);

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 03:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 02:00:00 GMT', now)).toBe(0);
  });

  it('rejects malformed values', () => {
    for (const value of [undefined, null, '', '-5', '1.5', 'soon', '1e3', '0x10']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });
});
