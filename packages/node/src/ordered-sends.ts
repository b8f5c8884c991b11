import { Fifo } from '@sturdysocket/core';

/**
 * Keeps outbound operations in the order `send()` and `close()` were called while a Blob's bytes
 * are read asynchronously (WHATWG WebSockets, `send(Blob)`: the data is queued behind earlier
 * data, and later data queues behind it).
 */
interface Pending {
  run: ((bytes: Uint8Array | undefined) => void) | undefined;
  ready: boolean;
  bytes?: Uint8Array | undefined;
}

export class OrderedSends {
  private queue = new Fifo<Pending>();
  private cleared = false;

  /** Whether operations are waiting behind a Blob read. */
  get waiting(): boolean {
    return this.queue.length > 0;
  }

  /** Runs `operation` now, or after the Blob reads queued before it. */
  run(operation: () => void): void {
    if (this.queue.length === 0) operation();
    else this.queue.push({ run: operation, ready: true });
  }

  /**
   * Reads `blob` and passes its bytes to `operation` in turn; `undefined` when the read failed.
   */
  runAfterRead(blob: Blob, operation: (bytes: Uint8Array | undefined) => void): void {
    const entry: Pending = { run: operation, ready: false };
    this.queue.push(entry);
    blob.arrayBuffer().then(
      (buffer) => {
        entry.ready = true;
        entry.bytes = new Uint8Array(buffer);
        this.drain();
      },
      () => {
        entry.ready = true;
        this.drain();
      },
    );
  }

  /** Drops everything still waiting (the connection closed). */
  clear(): void {
    this.cleared = true;
    this.queue.clear();
  }

  private drain(): void {
    while (!this.cleared && this.queue.peek()?.ready === true) {
      const entry = this.queue.shift() as Pending;
      entry.run?.(entry.bytes);
    }
  }
}
