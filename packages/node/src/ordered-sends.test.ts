import { describe, expect, it } from 'vitest';
import { OrderedSends } from './ordered-sends.js';

describe('OrderedSends', () => {
  it('runs at once while nothing waits', () => {
    const sends = new OrderedSends();
    const log: string[] = [];
    sends.run(() => log.push('now'));
    expect(log).toEqual(['now']);
    expect(sends.waiting).toBe(false);
  });

  it('holds later operations behind a Blob read, in order', async () => {
    const sends = new OrderedSends();
    const log: string[] = [];
    sends.runAfterRead(new Blob(['first']), (bytes) => log.push(`blob:${new TextDecoder().decode(bytes)}`));
    sends.run(() => log.push('second'));
    sends.runAfterRead(new Blob(['third']), (bytes) => log.push(`blob:${new TextDecoder().decode(bytes)}`));
    sends.run(() => log.push('fourth'));
    expect(log).toEqual([]);
    expect(sends.waiting).toBe(true);
    while (sends.waiting) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(log).toEqual(['blob:first', 'second', 'blob:third', 'fourth']);
  });

  it('drops what waits once cleared', async () => {
    const sends = new OrderedSends();
    const log: string[] = [];
    sends.runAfterRead(new Blob(['x']), () => log.push('blob'));
    sends.run(() => log.push('after'));
    sends.clear();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toEqual([]);
  });
});
