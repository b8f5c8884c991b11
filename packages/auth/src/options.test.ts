import { describe, expect, it } from 'vitest';
import { systemAuthClock } from './options.js';

describe('systemAuthClock', () => {
  it('does not fire a delay past the platform timer limit at once (message.timeoutMs: Infinity timed out after 1 ms)', async () => {
    const fired: number[] = [];
    const handles = [1, Number.POSITIVE_INFINITY, 2 ** 31].map((delay) =>
      systemAuthClock.setTimeout(() => fired.push(delay), delay),
    );
    await new Promise((resolve) => globalThis.setTimeout(resolve, 30));
    for (const handle of handles) systemAuthClock.clearTimeout(handle);
    expect(fired).toEqual([1]);
  });
});
