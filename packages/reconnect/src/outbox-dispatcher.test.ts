import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock, settle } from '../test-support/fake-clock.js';
import { FakeWebSocket } from '../test-support/fake-websocket.js';
import { MessageDroppedError } from './errors/message-dropped-error.js';
import { OutboxFullError } from './errors/outbox-full-error.js';
import type { DropReason, MessageData, OutboxPolicy } from './outbox.js';
import { OutboxDispatcher, SENT } from './outbox-dispatcher.js';

function setup(policy: Partial<OutboxPolicy> = {}) {
  const clock = new FakeClock(0);
  const drops: Array<[MessageData, DropReason]> = [];
  const dispatcher = new OutboxDispatcher(
    { maxMessages: 3, maxBytes: 1000, overflow: 'drop-oldest', ttlMs: undefined, ...policy },
    clock,
    (data, reason) => drops.push([data, reason]),
  );
  const socket = new FakeWebSocket('ws://x/');
  socket.readyState = 1;
  return { clock, drops, dispatcher, socket };
}

/** A message of `bytes` bytes (ASCII). */
const ofSize = (bytes: number): string => 'x'.repeat(bytes);

describe('OutboxDispatcher', () => {
  it('flushes in order and settles receipts', async () => {
    const { dispatcher, socket } = setup();
    const receipts = ['a', 'b'].map((data) => dispatcher.queue(data));
    expect(receipts.map((r) => r.status)).toEqual(['queued', 'queued']);
    expect([dispatcher.size, dispatcher.bytes]).toEqual([2, 2]);
    expect(dispatcher.flush(socket)).toBe(2);
    expect(socket.sent).toEqual(['a', 'b']);
    await Promise.all(receipts.map((r) => r.delivered));
    expect([dispatcher.size, dispatcher.bytes]).toEqual([0, 0]);
  });

  it('counts text in UTF-8 against maxBytes', () => {
    const { dispatcher } = setup({ maxBytes: 4 });
    dispatcher.queue('€');
    expect(dispatcher.bytes).toBe(3);
    expect(dispatcher.queue('é').status).toBe('queued');
    expect([dispatcher.size, dispatcher.bytes]).toEqual([1, 2]);
  });

  it('leaves the queue alone for a socket that is not OPEN', () => {
    const { dispatcher, socket } = setup();
    dispatcher.queue('a');
    socket.readyState = 2;
    expect(dispatcher.flush(socket)).toBe(0);
    expect(dispatcher.size).toBe(1);
  });

  it('stops flushing, keeping the rest, when the socket leaves OPEN mid-flush', () => {
    const { dispatcher, socket, drops } = setup();
    for (const data of ['a', 'b', 'c']) dispatcher.queue(data);
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      send(data);
      if (data === 'a') socket.readyState = 2;
    };
    expect(dispatcher.flush(socket)).toBe(1);
    expect(dispatcher.size).toBe(2);
    socket.send = () => {
      socket.readyState = 3;
      throw new Error('closed under us');
    };
    socket.readyState = 1;
    expect(dispatcher.flush(socket)).toBe(0);
    expect(dispatcher.size).toBe(2);
    expect(drops).toEqual([]);
  });

  it('drops a message an OPEN socket refuses as send-failed, and goes on', async () => {
    const { dispatcher, socket, drops } = setup();
    const bad = dispatcher.queue('bad');
    dispatcher.queue('good');
    const send = socket.send.bind(socket);
    const refusal = new TypeError('not sendable');
    socket.send = (data) => {
      if (data === 'bad') throw refusal;
      send(data);
    };
    expect(dispatcher.flush(socket)).toBe(1);
    expect(socket.sent).toEqual(['good']);
    expect(drops).toEqual([['bad', 'send-failed']]);
    await expect(bad.delivered).rejects.toMatchObject({ dropReason: 'send-failed', cause: refusal });
  });

  it('reports overflow drops under each policy', () => {
    const oldest = setup({ maxMessages: 1 });
    oldest.dispatcher.queue('1');
    expect(oldest.dispatcher.queue('2').status).toBe('queued');
    expect(oldest.drops).toEqual([['1', 'overflow']]);
    const newest = setup({ maxMessages: 1, overflow: 'drop-newest' });
    newest.dispatcher.queue('1');
    expect(newest.dispatcher.queue('2').status).toBe('dropped');
    expect(newest.drops).toEqual([['2', 'overflow']]);
    const reject = setup({ maxMessages: 1, overflow: 'reject' });
    reject.dispatcher.queue('1');
    expect(() => reject.dispatcher.queue('2')).toThrow(OutboxFullError);
    expect(reject.drops).toEqual([]);
    expect(reject.dispatcher.size).toBe(1);
  });

  it('drop-oldest evicts as many of the oldest as needed, by count and by bytes', () => {
    const byCount = setup();
    for (const data of ['a', 'b', 'c', 'd']) byCount.dispatcher.queue(data);
    expect(byCount.drops).toEqual([['a', 'overflow']]);
    const byBytes = setup({ maxBytes: 100 });
    for (const size of [40, 10, 40, 60]) byBytes.dispatcher.queue(ofSize(size));
    expect(byBytes.drops.map(([data]) => (data as string).length)).toEqual([40, 10]);
    expect([byBytes.dispatcher.size, byBytes.dispatcher.bytes]).toEqual([2, 100]);
  });

  it('drop-newest and reject refuse the new message and name the limit', () => {
    for (const overflow of ['drop-newest', 'reject'] as const) {
      const byCount = setup({ maxMessages: 1, overflow });
      byCount.dispatcher.queue('1');
      const byBytes = setup({ maxBytes: 100, overflow });
      byBytes.dispatcher.queue(ofSize(90));
      if (overflow === 'reject') {
        expect(() => byCount.dispatcher.queue('2')).toThrow(/maxMessages/);
        expect(() => byBytes.dispatcher.queue(ofSize(20))).toThrow(/maxBytes/);
      } else {
        expect(byCount.dispatcher.queue('2').status).toBe('dropped');
        expect(byBytes.dispatcher.queue(ofSize(20)).status).toBe('dropped');
      }
      expect([byCount.dispatcher.size, byBytes.dispatcher.size]).toEqual([1, 1]);
    }
  });

  it('refuses a message larger than maxBytes on its own, whatever the policy, and queues nothing with maxMessages 0', () => {
    const oldest = setup({ maxBytes: 100 });
    oldest.dispatcher.queue('kept');
    expect(oldest.dispatcher.queue(ofSize(101)).status).toBe('dropped');
    expect(oldest.dispatcher.size).toBe(1);
    expect(() => setup({ maxBytes: 100, overflow: 'reject' }).dispatcher.queue(ofSize(101))).toThrow(/maxBytes/);
    const off = setup({ maxMessages: 0 });
    expect(off.dispatcher.queue('a').status).toBe('dropped');
    expect(off.drops).toEqual([['a', 'overflow']]);
  });

  it('drops the evicted after queueing the new message, so a drop listener that sends queues behind it', () => {
    const clock = new FakeClock(0);
    const dispatcher = new OutboxDispatcher(
      { maxMessages: 2, maxBytes: 1000, overflow: 'drop-oldest', ttlMs: undefined },
      clock,
      (data) => {
        if (data === '1') dispatcher.queue('resent');
      },
    );
    for (const data of ['1', '2', '3']) dispatcher.queue(data);
    const socket = new FakeWebSocket('ws://x/');
    socket.readyState = 1;
    dispatcher.flush(socket);
    expect(socket.sent).toEqual(['3', 'resent']);
  });

  it('never lets the outbox exceed its limits, and drop-oldest always queues what fits alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 120 }),
        fc.constantFrom('drop-oldest' as const, 'drop-newest' as const, 'reject' as const),
        (sizes, maxMessages, maxBytes, overflow) => {
          const { dispatcher } = setup({ maxMessages, maxBytes, overflow });
          for (const size of sizes) {
            let status: string;
            try {
              status = dispatcher.queue(ofSize(size)).status;
            } catch (error) {
              if (!(error instanceof OutboxFullError) || overflow !== 'reject') throw error;
              status = 'rejected';
            }
            if (dispatcher.size > maxMessages || dispatcher.bytes > maxBytes) return false;
            if (overflow === 'drop-oldest' && size <= maxBytes && maxMessages > 0 && status !== 'queued') return false;
          }
          return true;
        },
      ),
    );
  });

  it('expires by TTL with a single timer, and none once empty', async () => {
    const { dispatcher, clock, drops } = setup({ ttlMs: 100 });
    dispatcher.queue('a');
    await clock.advance(50);
    dispatcher.queue('b');
    expect(clock.pending).toBe(1);
    expect(clock.pendingDelays()).toEqual([50]);
    await clock.advance(50);
    expect(drops).toEqual([['a', 'expired']]);
    expect(clock.pendingDelays()).toEqual([50]);
    expect(dispatcher.bytes).toBe(1);
    await clock.advance(50);
    expect(drops).toEqual([
      ['a', 'expired'],
      ['b', 'expired'],
    ]);
    expect(clock.pending).toBe(0);
  });

  it('checks expiry at flush and on queueing too: a late timer lets nothing stale out', () => {
    const { dispatcher, clock, drops, socket } = setup({ ttlMs: 100 });
    dispatcher.queue('stale');
    clock.jump(60);
    dispatcher.queue('fresh');
    clock.jump(40); // the timer is due but has not run (a frozen page)
    expect(dispatcher.flush(socket)).toBe(1);
    expect(socket.sent).toEqual(['fresh']);
    expect(drops).toEqual([['stale', 'expired']]);
    expect(clock.pending).toBe(0);
    dispatcher.queue('old');
    clock.jump(100);
    dispatcher.queue('new');
    expect(drops).toEqual([
      ['stale', 'expired'],
      ['old', 'expired'],
    ]);
    expect(clock.pendingDelays()).toEqual([100]);
  });

  it('expires only from the front: a younger message behind an older one waits for it (a clock step back)', () => {
    const { dispatcher, clock, drops, socket } = setup({ ttlMs: 1000 });
    clock.jump(500);
    dispatcher.queue('first');
    clock.jump(-500); // queued after a step back of the wall clock
    dispatcher.queue('second');
    clock.jump(1200);
    dispatcher.flush(new FakeWebSocket('ws://x/')); // not OPEN: only expires
    expect(drops).toEqual([]);
    clock.jump(300);
    dispatcher.flush(socket);
    expect(drops).toEqual([
      ['first', 'expired'],
      ['second', 'expired'],
    ]);
  });

  it('has no expiry timer without a TTL', () => {
    const { dispatcher, clock, socket } = setup();
    dispatcher.queue('a');
    expect(clock.pending).toBe(0);
    clock.jump(Number.MAX_SAFE_INTEGER / 2);
    expect(dispatcher.flush(socket)).toBe(1);
  });

  it('drops everything (and its timer) once detached', () => {
    const { dispatcher, clock, drops } = setup({ ttlMs: 100 });
    dispatcher.queue('a');
    dispatcher.queue('b');
    dispatcher.detach('closed')();
    expect(drops).toEqual([
      ['a', 'closed'],
      ['b', 'closed'],
    ]);
    expect(clock.pending).toBe(0);
    expect([dispatcher.size, dispatcher.bytes]).toEqual([0, 0]);
    dispatcher.queue('c');
    expect(dispatcher.size).toBe(1);
  });

  it('with ttlMs 0 a message expires as it arrives: send reports it dropped, not queued', async () => {
    const { dispatcher, drops } = setup({ ttlMs: 0 });
    const receipt = dispatcher.queue('a');
    expect(receipt.status).toBe('dropped');
    expect(drops).toEqual([['a', 'expired']]);
    expect(dispatcher.size).toBe(0);
    await expect(receipt.delivered).rejects.toBeInstanceOf(MessageDroppedError);
  });

  it('detach drops what was queued when it began, not what a drop listener queues meanwhile', () => {
    const reasons: DropReason[] = [];
    let dispatcher: OutboxDispatcher | undefined;
    dispatcher = new OutboxDispatcher(
      { maxMessages: 3, maxBytes: 1000, overflow: 'drop-oldest', ttlMs: undefined },
      new FakeClock(0),
      (data, reason) => {
        reasons.push(reason);
        if (data === 'a') dispatcher?.queue('again');
      },
    );
    dispatcher.queue('a');
    dispatcher.queue('b');
    dispatcher.detach('closed')();
    expect(reasons).toEqual(['closed', 'closed']);
    expect(dispatcher.size).toBe(1);
  });

  it('survives a send() that ends the loop from inside (its listeners drop the outbox), and settles each receipt once, truly', async () => {
    const { dispatcher, socket } = setup();
    const receipts = ['a', 'b', 'c'].map((data) => dispatcher.queue(data));
    let later: ReturnType<OutboxDispatcher['queue']> | undefined;
    socket.send = () => {
      // The transport fails the connection synchronously; a listener closes and reconnects, and
      // queues a new message for the next connection.
      socket.readyState = 3;
      dispatcher.detach('closed')();
      later = dispatcher.queue('z');
    };
    expect(() => dispatcher.flush(socket)).not.toThrow();
    for (const receipt of receipts) await expect(receipt.delivered).rejects.toBeInstanceOf(MessageDroppedError);
    expect(dispatcher.size).toBe(1);
    socket.readyState = 1;
    socket.send = FakeWebSocket.prototype.send;
    expect(dispatcher.flush(socket)).toBe(1);
    await expect(later?.delivered).resolves.toBeUndefined();
    expect(socket.sent).toEqual(['z']);
  });

  it('refuse() drops at once, with a rejected receipt', async () => {
    const { dispatcher, drops } = setup();
    const receipt = dispatcher.refuse('late', 'closed');
    expect(receipt.status).toBe('dropped');
    expect(drops).toEqual([['late', 'closed']]);
    expect(dispatcher.size).toBe(0);
    await expect(receipt.delivered).rejects.toMatchObject({
      dropReason: 'closed',
      code: 'ERR_RECONNECT_MESSAGE_DROPPED',
    });
  });

  it('rejects the receipt of every drop with MessageDroppedError, and an ignored receipt goes unhandled never', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { dispatcher } = setup({ maxMessages: 1, ttlMs: 100 });
      const evicted = dispatcher.queue('evicted');
      dispatcher.queue('closed');
      dispatcher.refuse('refused', 'closed');
      dispatcher.detach('closed')();
      await expect(evicted.delivered).rejects.toBeInstanceOf(MessageDroppedError);
      await settle();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('SENT is a settled, frozen receipt', async () => {
    expect(SENT.status).toBe('sent');
    expect(Object.isFrozen(SENT)).toBe(true);
    await expect(SENT.delivered).resolves.toBeUndefined();
  });

  // Regression: every enqueue once copied all held sizes into a new array, and evictions shifted
  // an array (linear per shift past about 16,000 entries): filling this outbox took minutes.
  it('stays linear at a large maxMessages, in order through evictions', () => {
    const { dispatcher, socket, drops } = setup({ maxMessages: 100_000, maxBytes: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 105_000; i++) dispatcher.queue(String(i));
    expect(dispatcher.size).toBe(100_000);
    expect(drops.map(([data]) => data)).toEqual(Array.from({ length: 5000 }, (_, i) => String(i)));
    expect(dispatcher.flush(socket)).toBe(100_000);
    expect(socket.sent.every((data, i) => data === String(5000 + i))).toBe(true);
    expect([dispatcher.size, dispatcher.bytes]).toEqual([0, 0]);
  });
});
