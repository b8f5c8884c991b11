import { Fifo } from '@sturdysocket/core';
import { IteratorOverflowError } from './errors/iterator-overflow-error.js';

/** Feeds an iterator: `push` a message, `end` the stream. Returns the unsubscribe. */
export type MessageSource<T> = (push: (message: T) => void, end: () => void) => () => void;

/** How many messages a `for await` loop may fall behind before it is ended. */
export const DEFAULT_ITERATOR_MAX_BUFFERED = 10_000;

/**
 * An async iterator over messages from `source`, from its creation until the source ends (the
 * socket reaches `closed`) or the consumer breaks out. Messages arriving faster than they are
 * consumed wait in order in memory, up to `maxBuffered`: one more ends the iteration, which then
 * yields what it holds and rejects with `IteratorOverflowError` (a server must not be able to
 * make a slow loop hold messages without bound).
 */
export function createMessageIterator<T>(
  source: MessageSource<T>,
  maxBuffered: number = DEFAULT_ITERATOR_MAX_BUFFERED,
): AsyncIterableIterator<T> {
  // A Fifo: an array's shift() is linear past some 16,000 entries, and maxBuffered may be more.
  const buffered = new Fifo<T>();
  const waiting: Array<(result: IteratorResult<T>) => void> = [];
  let overflow: IteratorOverflowError | undefined;
  let done = false;
  let unsubscribe: (() => void) | undefined;
  const finish = (): void => {
    if (done) return;
    done = true;
    unsubscribe?.();
    for (const resolve of waiting.splice(0)) resolve({ done: true, value: undefined });
  };
  unsubscribe = source((message) => {
    if (done) return;
    const resolve = waiting.shift();
    if (resolve) resolve({ done: false, value: message });
    else if (buffered.length < maxBuffered) buffered.push(message);
    else {
      overflow = new IteratorOverflowError(maxBuffered);
      finish();
    }
  }, finish);
  // The source may have ended the stream synchronously, before `unsubscribe` was assigned.
  if (done) unsubscribe();
  return {
    next(): Promise<IteratorResult<T>> {
      if (buffered.length > 0) return Promise.resolve({ done: false, value: buffered.shift() as T });
      if (overflow !== undefined) {
        // Reported once; the iteration is over after it.
        const error = overflow;
        overflow = undefined;
        return Promise.reject(error);
      }
      if (done) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return(): Promise<IteratorResult<T>> {
      buffered.clear();
      overflow = undefined;
      finish();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * What `messages()` reads: a socket's `message` and `state` events (`ReconnectingWebSocketCore`,
 * `ReconnectingWebSocket`, the umbrella's `SturdySocket`).
 */
export interface MessageEvents<T> {
  readonly state: string;
  on(event: 'message', listener: (data: T) => void): () => void;
  on(event: 'state', listener: (change: { readonly to: string }) => void): () => void;
}

/** Options of `messages()`. */
export interface MessagesOptions {
  /**
   * How many messages may wait for the loop (a positive integer or `Infinity`); one more ends the
   * loop with `IteratorOverflowError` once it has taken those.
   * @default 10_000
   */
  maxBuffered?: number | undefined;
}

/**
 * `for await (const data of messages(socket, { maxBuffered }))`: every message of `socket` from
 * now until it closes for good or the loop ends. A function rather than a method, so that an
 * application that never loops ships none of it. Throws a `RangeError` for a bad `maxBuffered`.
 */
export function messages<T>(socket: MessageEvents<T>, options: MessagesOptions = {}): AsyncIterableIterator<T> {
  const { maxBuffered = DEFAULT_ITERATOR_MAX_BUFFERED } = options;
  if (!(maxBuffered === Number.POSITIVE_INFINITY || (Number.isInteger(maxBuffered) && maxBuffered > 0))) {
    throw new RangeError('maxBuffered: a positive integer or Infinity');
  }
  return createMessageIterator<T>((push, end) => {
    if (socket.state === 'closed') {
      end();
      return () => undefined;
    }
    const offMessage = socket.on('message', push);
    const offState = socket.on('state', ({ to }) => {
      if (to === 'closed') end();
    });
    return () => {
      offMessage();
      offState();
    };
  }, maxBuffered);
}
