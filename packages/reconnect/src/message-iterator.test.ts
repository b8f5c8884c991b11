import { describe, expect, it } from 'vitest';
import { FakeClock, settle } from '../test-support/fake-clock.js';
import { fakeTransport } from '../test-support/fake-websocket.js';
import { IteratorOverflowError } from './errors/iterator-overflow-error.js';
import { createMessageIterator, messages } from './message-iterator.js';
import { ReconnectingWebSocketCore } from './reconnecting-websocket-core.js';

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

describe('messages(socket)', () => {
  function core() {
    const transport = fakeTransport();
    const socket = new ReconnectingWebSocketCore('ws://example.test/', undefined, {
      WebSocket: transport.WebSocket,
      clock: new FakeClock(),
    });
    return { socket, transport };
  }

  it("loops over a core socket's messages from now until it closes for good", async () => {
    const { socket, transport } = core();
    await settle();
    transport.last().accept();
    transport.last().receive('before');
    const received: unknown[] = [];
    const loop = (async () => {
      for await (const data of messages(socket)) received.push(data);
    })();
    transport.last().receive('a');
    transport.last().receive('b');
    socket.close();
    transport.last().serverClose(1000);
    await loop;
    expect(received).toEqual(['a', 'b']);
  });

  it('ends at once on a closed socket, and ends a loop that falls behind with IteratorOverflowError', async () => {
    const { socket, transport } = core();
    await settle();
    transport.last().accept();
    const behind = messages(socket, { maxBuffered: 1 });
    transport.last().receive('a');
    transport.last().receive('b');
    expect(await behind.next()).toEqual({ done: false, value: 'a' });
    await expect(behind.next()).rejects.toBeInstanceOf(IteratorOverflowError);
    socket.close();
    transport.last().serverClose(1000);
    expect(socket.state).toBe('closed');
    expect(await messages(socket).next()).toEqual({ done: true, value: undefined });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses maxBuffered %s with a RangeError', (maxBuffered) => {
    const { socket } = core();
    expect(() => messages(socket, { maxBuffered })).toThrow(RangeError);
    socket.close();
  });
});
