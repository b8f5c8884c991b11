import { SturdySocketError } from '@sturdysocket/core';

/**
 * A `for await` loop over a socket fell more than `maxBuffered` messages behind: the iteration
 * ended (rejecting after the messages it held were consumed) instead of holding an unbounded
 * number of messages in memory. The socket itself is unaffected.
 */
export class IteratorOverflowError extends SturdySocketError {
  static override readonly brand: string = 'IteratorOverflowError';

  /** The limit that was reached (`messages({ maxBuffered })`). */
  declare readonly maxBuffered: number;

  constructor(maxBuffered: number) {
    super(
      'ERR_RECONNECT_ITERATOR_OVERFLOW',
      `The loop fell over ${maxBuffered} messages behind (messages({ maxBuffered }))`,
    );
    this.maxBuffered = maxBuffered;
  }
}
