/** Feeds an iterator: `push` a message, `end` the stream. Returns the unsubscribe. */
export type MessageSource<T> = (push: (message: T) => void, end: () => void) => () => void;

/**
 * An async iterator over messages from `source`, from its creation until the source ends (the
 * socket reaches `closed`) or the consumer breaks out. Messages arriving faster than they are
 * consumed wait in order in memory.
 */
export function createMessageIterator<T>(source: MessageSource<T>): AsyncIterableIterator<T> {
  const buffered: T[] = [];
  const waiting: Array<(result: IteratorResult<T>) => void> = [];
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
    else buffered.push(message);
  }, finish);
  // The source may have ended the stream synchronously, before `unsubscribe` was assigned.
  if (done) unsubscribe();
  return {
    next(): Promise<IteratorResult<T>> {
      if (buffered.length > 0) return Promise.resolve({ done: false, value: buffered.shift() as T });
      if (done) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return(): Promise<IteratorResult<T>> {
      buffered.length = 0;
      finish();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
