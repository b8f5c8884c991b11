/**
 * A first-in, first-out queue whose `shift()` takes constant time at any length.
 *
 * `Array.prototype.shift` moves every remaining element once the array's backing store is too
 * large for V8 to trim in place (about 16,000 elements): draining 200,000 queued sends that way
 * took 8.8 s here, against milliseconds for this queue. Queues that a peer or an application can
 * grow without a small bound (messages waiting to be compressed or sent, zlib jobs waiting for a
 * slot) use this instead.
 *
 * Hand-written rather than a dependency (denque does the same) because the reconnect layer's
 * `for await` buffer uses it too and may ship to browsers, where every kilobyte counts against the
 * size budget. (The reconnect outbox links its messages instead: they are objects already, so a
 * list through them costs no array and leaves this class out of the browser bundle.)
 */
export class Fifo<T> {
  #items: (T | undefined)[] = [];
  /** Index of the first item still queued; the slots before it are spent. */
  #head = 0;

  /** Items queued. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Adds `item` at the back. */
  push(item: T): void {
    this.#items.push(item);
  }

  /** The item at the front, without removing it; `undefined` when empty. */
  peek(): T | undefined {
    return this.#items[this.#head];
  }

  /** The item `index` places from the front (0 is the front); `undefined` past the back. */
  at(index: number): T | undefined {
    return index < 0 ? undefined : this.#items[this.#head + index];
  }

  /** Removes and returns the item at the front; `undefined` when empty. */
  shift(): T | undefined {
    const items = this.#items;
    if (this.#head === items.length) return undefined;
    const item = items[this.#head];
    // Let the item be collected now, not when the slot is reused.
    items[this.#head++] = undefined;
    if (this.#head === items.length) {
      items.length = 0;
      this.#head = 0;
    } else if (this.#head >= COMPACT_AFTER && this.#head * 2 >= items.length) {
      // Copying at most as many items as were shifted since the last copy keeps shift() O(1)
      // amortised, and the spent slots from growing without bound.
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Removes every item. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }

  /** The queued items, front to back, as a new array. */
  toArray(): T[] {
    return this.#items.slice(this.#head) as T[];
  }
}

/** Spent slots tolerated before the queue compacts (and then only once they are half of it). */
const COMPACT_AFTER = 1024;
