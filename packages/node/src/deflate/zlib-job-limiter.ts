import { Fifo } from '@sturdysocket/core';

/**
 * Caps how many zlib jobs run at once. Node runs every asynchronous zlib call on libuv's thread
 * pool (4 threads by default, shared with fs and dns): thousands of connections compressing at
 * once would queue behind each other there and starve everything else, and each pending job
 * pins its buffers. Like ws, we queue jobs in the process and let a few run.
 */
export class ZlibJobLimiter {
  /** Jobs allowed to run at the same time. */
  readonly concurrency: number;
  #running = 0;
  readonly #waiting = new Fifo<() => void>();

  /** @param concurrency Jobs allowed at once. @default 10 */
  constructor(concurrency = DEFAULT_ZLIB_CONCURRENCY) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    this.concurrency = concurrency;
  }

  /** Jobs running now. */
  get running(): number {
    return this.#running;
  }

  /** Jobs waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Runs `job` when a slot is free; the slot is held until the job's promise settles, so a job
   * must always settle (the codec rejects its in-flight jobs when disposed).
   */
  run<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.#running++;
        let promise: Promise<T>;
        try {
          promise = job();
        } catch (error) {
          promise = Promise.reject(error);
        }
        promise.then(resolve, reject).finally(() => {
          this.#running--;
          this.#waiting.shift()?.();
        });
      };
      if (this.#running < this.concurrency) start();
      else this.#waiting.push(start);
    });
  }
}

/** Process-wide default, as in ws. */
export const DEFAULT_ZLIB_CONCURRENCY = 10;

let shared: ZlibJobLimiter | undefined;

/** The process-wide limiter every codec uses unless given another; created on first use. */
export function sharedZlibLimiter(): ZlibJobLimiter {
  if (shared === undefined) shared = new ZlibJobLimiter();
  return shared;
}
