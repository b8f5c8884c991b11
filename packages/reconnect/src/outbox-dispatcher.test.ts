import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support/fake-clock.js';
import { FakeWebSocket } from '../test-support/fake-websocket.js';
import { OutboxFullError } from './errors/outbox-full-error.js';
import type { DropReason, MessageData } from './outbox.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';

function setup(policy: Partial<ConstructorParameters<typeof OutboxDispatcher>[0]> = {}) {
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

describe('OutboxDispatcher', () => {
  it('flushes in order and settles receipts', async () => {
    const { dispatcher, socket } = setup();
    const receipts = ['a', 'b'].map((data) => dispatcher.queue(data));
    expect(dispatcher.flush(socket)).toBe(2);
    expect(socket.sent).toEqual(['a', 'b']);
    await Promise.all(receipts.map((r) => r.delivered));
    expect(dispatcher.size).toBe(0);
  });

  it('leaves the queue alone for a socket that is not OPEN', () => {
    const { dispatcher, socket } = setup();
    dispatcher.queue('a');
    socket.readyState = 2;
    expect(dispatcher.flush(socket)).toBe(0);
    expect(dispatcher.size).toBe(1);
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
  });

  it('expires by TTL with a single timer, and none once empty', async () => {
    const { dispatcher, clock, drops } = setup({ ttlMs: 100 });
    dispatcher.queue('a');
    await clock.advance(50);
    dispatcher.queue('b');
    expect(clock.pending).toBe(1);
    await clock.advance(50);
    expect(drops).toEqual([['a', 'expired']]);
    await clock.advance(50);
    expect(drops).toEqual([
      ['a', 'expired'],
      ['b', 'expired'],
    ]);
    expect(clock.pending).toBe(0);
  });

  it('drops everything (and its timer) on dropAll', () => {
    const { dispatcher, clock, drops } = setup({ ttlMs: 100 });
    dispatcher.queue('a');
    dispatcher.queue('b');
    dispatcher.dropAll('closed');
    expect(drops).toEqual([
      ['a', 'closed'],
      ['b', 'closed'],
    ]);
    expect(clock.pending).toBe(0);
    expect(dispatcher.bytes).toBe(0);
  });
});
