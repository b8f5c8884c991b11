import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageDroppedError } from './errors/message-dropped-error.js';
import {
  createDelivery,
  type HeldMessages,
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

/** What an outbox holding messages of `sizes` (oldest first) shows `planEnqueue`. */
const held = (sizes: number[]): HeldMessages => ({
  size: sizes.length,
  bytes: sizes.reduce((sum, size) => sum + size, 0),
  sizeAt: (index) => sizes[index] ?? 0,
});

describe('planEnqueue', () => {
  it('accepts within limits', () => {
    expect(planEnqueue(held([10, 10]), 10, policy())).toEqual({ accept: true, evict: 0 });
  });

  it('drop-oldest evicts as many of the oldest as needed, by count and by bytes', () => {
    expect(planEnqueue(held([10, 10, 10]), 10, policy())).toEqual({ accept: true, evict: 1 });
    expect(planEnqueue(held([40, 40]), 60, policy())).toEqual({ accept: true, evict: 1 });
    expect(planEnqueue(held([40, 10, 40]), 60, policy())).toEqual({ accept: true, evict: 2 });
  });

  it('drop-newest and reject refuse the new message and name the limit', () => {
    for (const overflow of ['drop-newest', 'reject'] as const) {
      expect(planEnqueue(held([1, 1, 1]), 1, policy({ overflow }))).toEqual({ accept: false, limit: 'maxMessages' });
      expect(planEnqueue(held([90]), 20, policy({ overflow }))).toEqual({ accept: false, limit: 'maxBytes' });
    }
  });

  it('reads the sizes of only the messages it evicts', () => {
    const read: number[] = [];
    const full: HeldMessages = {
      size: 1_000_000,
      bytes: 1_000_000,
      sizeAt: (index) => {
        read.push(index);
        return 1;
      },
    };
    const limits = policy({ maxMessages: 1_000_000, maxBytes: 1_000_000 });
    expect(planEnqueue(full, 3, limits)).toEqual({ accept: true, evict: 3 });
    expect(read).toEqual([0, 1, 2]);
  });

  it('refuses a message larger than maxBytes on its own, whatever the policy', () => {
    expect(planEnqueue(held([]), 101, policy())).toEqual({ accept: false, limit: 'maxBytes' });
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

  it('expires only from the front: a younger entry behind an older one waits for it (a clock step back)', () => {
    const outbox = new Outbox(policy({ ttlMs: 1000 }));
    outbox.enqueue(entry('first', 500));
    outbox.enqueue(entry('second', 0)); // queued after a step back of the wall clock
    expect(outbox.expire(1200).map((e) => e.data)).toEqual([]);
    expect(outbox.expire(1500).map((e) => e.data)).toEqual(['first', 'second']);
  });

  it('stays in order through many evictions, expiries and shifts', () => {
    const outbox = new Outbox(policy({ maxMessages: 5000, maxBytes: 1_000_000, ttlMs: 10 }));
    for (let i = 0; i < 20_000; i++) outbox.enqueue(entry(String(i), i));
    expect(outbox.size).toBe(5000);
    expect(outbox.peek()?.data).toBe('15000');
    expect(outbox.expire(17_010).length).toBe(2001);
    expect(outbox.shift()?.data).toBe('17001');
    const rest = outbox.drain().map((e) => Number(e.data));
    expect(rest).toEqual(Array.from({ length: 2998 }, (_, i) => 17_002 + i));
    expect(outbox.bytes).toBe(0);
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
