import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageDroppedError } from './errors/message-dropped-error.js';
import {
  createDelivery,
  messageByteLength,
  Outbox,
  type OutboxEntry,
  type OutboxPolicy,
  planEnqueue,
} from './outbox.js';

const policy = (overrides: Partial<OutboxPolicy> = {}): OutboxPolicy => ({
  maxMessages: 3,
  maxBytes: 100,
  overflow: 'drop-oldest',
  ttlMs: undefined,
  ...overrides,
});

const entry = (data: string, queuedAt = 0): OutboxEntry => ({
  data,
  bytes: messageByteLength(data),
  queuedAt,
  settle: () => undefined,
});

describe('messageByteLength', () => {
  it('counts text in UTF-8 and binary by its length', () => {
    expect(messageByteLength('abc')).toBe(3);
    expect(messageByteLength('é€😀')).toBe(2 + 3 + 4);
    expect(messageByteLength(new Uint8Array(7))).toBe(7);
    expect(messageByteLength(new ArrayBuffer(5))).toBe(5);
    expect(messageByteLength(new Blob(['hello']))).toBe(5);
  });
});

describe('planEnqueue', () => {
  it('accepts within limits', () => {
    expect(planEnqueue([10, 10], 20, 10, policy())).toEqual({ accept: true, evict: 0 });
  });

  it('drop-oldest evicts as many of the oldest as needed, by count and by bytes', () => {
    expect(planEnqueue([10, 10, 10], 30, 10, policy())).toEqual({ accept: true, evict: 1 });
    expect(planEnqueue([40, 40], 80, 60, policy())).toEqual({ accept: true, evict: 1 });
    expect(planEnqueue([40, 10, 40], 90, 60, policy())).toEqual({ accept: true, evict: 2 });
  });

  it('drop-newest and reject refuse the new message and name the limit', () => {
    for (const overflow of ['drop-newest', 'reject'] as const) {
      expect(planEnqueue([1, 1, 1], 3, 1, policy({ overflow }))).toEqual({ accept: false, limit: 'maxMessages' });
      expect(planEnqueue([90], 90, 20, policy({ overflow }))).toEqual({ accept: false, limit: 'maxBytes' });
    }
  });

  it('refuses a message larger than maxBytes on its own, whatever the policy', () => {
    expect(planEnqueue([], 0, 101, policy())).toEqual({ accept: false, limit: 'maxBytes' });
  });

  it('never lets the outbox exceed its limits, and drop-oldest always keeps the newest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 120 }),
        fc.constantFrom('drop-oldest' as const, 'drop-newest' as const, 'reject' as const),
        (sizes, maxMessages, maxBytes, overflow) => {
          const outbox = new Outbox({ maxMessages, maxBytes, overflow, ttlMs: undefined });
          for (const size of sizes) {
            const result = outbox.enqueue({
              data: 'x'.repeat(size),
              bytes: size,
              queuedAt: 0,
              settle: () => undefined,
            });
            if (outbox.size > maxMessages || outbox.bytes > maxBytes) return false;
            if (overflow === 'drop-oldest' && size <= maxBytes && maxMessages > 0 && !result.queued) return false;
          }
          return true;
        },
      ),
    );
  });
});

describe('Outbox', () => {
  it('keeps order and reports evictions', () => {
    const outbox = new Outbox(policy());
    for (const data of ['a', 'b', 'c']) outbox.enqueue(entry(data));
    const result = outbox.enqueue(entry('d'));
    expect(result.queued && result.evicted.map((e) => e.data)).toEqual(['a']);
    expect(outbox.drain().map((e) => e.data)).toEqual(['b', 'c', 'd']);
    expect(outbox.size).toBe(0);
    expect(outbox.bytes).toBe(0);
  });

  it('expires entries older than the TTL and says when the next one expires', () => {
    const outbox = new Outbox(policy({ ttlMs: 1000 }));
    outbox.enqueue(entry('old', 0));
    outbox.enqueue(entry('new', 600));
    expect(outbox.nextExpiryAt()).toBe(1000);
    expect(outbox.expire(999)).toEqual([]);
    expect(outbox.expire(1000).map((e) => e.data)).toEqual(['old']);
    expect(outbox.nextExpiryAt()).toBe(1600);
    expect(outbox.bytes).toBe(3);
  });

  it('has no expiry without a TTL', () => {
    const outbox = new Outbox(policy());
    outbox.enqueue(entry('a'));
    expect(outbox.nextExpiryAt()).toBeUndefined();
    expect(outbox.expire(Number.MAX_SAFE_INTEGER)).toEqual([]);
  });
});

describe('createDelivery', () => {
  it('resolves on success and rejects with the drop', async () => {
    const ok = createDelivery();
    ok.settle();
    await expect(ok.promise).resolves.toBeUndefined();
    const dropped = createDelivery();
    dropped.settle(new MessageDroppedError('expired'));
    await expect(dropped.promise).rejects.toMatchObject({
      dropReason: 'expired',
      code: 'ERR_RECONNECT_MESSAGE_DROPPED',
    });
  });
});
