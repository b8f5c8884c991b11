/**
 * Masking keys (RFC 6455 §5.3: "a new masking key … from a strong source of entropy" for every
 * frame; §10.3 explains why predictability matters). Randomness is drawn from the CSPRNG in
 * batches — one `getRandomValues` call fills a pool that serves 1,024 frames — and every key is
 * taken from the pool exactly once.
 */

/** The CSPRNG: `crypto.getRandomValues` or a stand-in with the same contract (tests). */
export type RandomFill = (array: Uint8Array) => unknown;

/** The pool's size in bytes; `getRandomValues` accepts at most 65,536 per call. */
export const MASK_KEY_POOL_BYTES = 4096;

const defaultRandomFill: RandomFill = (array) => globalThis.crypto.getRandomValues(array);

export class MaskKeyPool {
  readonly #fill: RandomFill;
  /** Allocated on the first key: an idle connection holds no pool. */
  #pool: Uint8Array | undefined;
  #offset = MASK_KEY_POOL_BYTES;

  constructor(fill: RandomFill = defaultRandomFill) {
    this.#fill = fill;
  }

  /**
   * Returns the offset in `pool` of the next unused 4-byte key. The bytes stay valid until the
   * next call; copy them before asking again.
   */
  next(): number {
    if (this.#offset === MASK_KEY_POOL_BYTES) {
      this.#pool ??= new Uint8Array(MASK_KEY_POOL_BYTES);
      this.#fill(this.#pool);
      this.#offset = 0;
    }
    const offset = this.#offset;
    this.#offset += 4;
    return offset;
  }

  /** The pool `next()` offsets point into. */
  get pool(): Uint8Array {
    this.#pool ??= new Uint8Array(MASK_KEY_POOL_BYTES);
    return this.#pool;
  }
}
