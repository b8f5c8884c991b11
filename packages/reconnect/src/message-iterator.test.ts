import { describe, expect, it } from 'vitest';
import { IteratorOverflowError } from './errors/iterator-overflow-error.js';
import { createMessageIterator } from './message-iterator.js';

describe('createMessageIterator', () => {
  it('buffers in order, waits when empty, ends on end(), and unsubscribes', async () => {
    let push: (n: number) => void = () => undefined;
    let end: () => void = () => undefined;
    let unsubscribed = 0;
    const iterator = createMessageIterator<number>((p, e) => {
      push = p;
      end = e;
      return () => unsubscribed++;
    });
    push(1);
    push(2);
    expect(await iterator.next()).toEqual({ done: false, value: 1 });
    expect(await iterator.next()).toEqual({ done: false, value: 2 });
    const waiting = iterator.next();
    push(3);
    expect(await waiting).toEqual({ done: false, value: 3 });
    end();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(unsubscribed).toBe(1);
  });

  it('ends at once for a source that has already ended, and on break', async () => {
    let unsubscribed = 0;
    const ended = createMessageIterator<number>((_, end) => {
      end();
      return () => unsubscribed++;
    });
    expect(await ended.next()).toEqual({ done: true, value: undefined });
    expect(unsubscribed).toBe(1);
    let push: (n: number) => void = () => undefined;
    const broken = createMessageIterator<number>((p) => {
      push = p;
      return () => unsubscribed++;
    });
    push(1);
    for await (const value of broken) {
      expect(value).toBe(1);
      break;
    }
    expect(unsubscribed).toBe(2);
  });

  it('holds at most maxBuffered messages: one more ends the loop, which yields them and then rejects', async () => {
    let push: (n: number) => void = () => undefined;
    let unsubscribed = 0;
    const iterator = createMessageIterator<number>((p) => {
      push = p;
      return () => unsubscribed++;
    }, 2);
    // Messages handed to a waiting loop are never held.
    const waiting = iterator.next();
    push(0);
    expect(await waiting).toEqual({ done: false, value: 0 });
    push(1);
    push(2);
    expect(unsubscribed).toBe(0);
    push(3); // the third held one: over the limit
    expect(unsubscribed).toBe(1);
    push(4); // after the end: ignored
    expect(await iterator.next()).toEqual({ done: false, value: 1 });
    expect(await iterator.next()).toEqual({ done: false, value: 2 });
    const error = await iterator.next().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(IteratorOverflowError);
    expect(error).toMatchObject({ code: 'ERR_RECONNECT_ITERATOR_OVERFLOW', maxBuffered: 2 });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });
});
