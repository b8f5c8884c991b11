import { SturdySocketError } from '@sturdysocket/core';

/**
 * Why a message left the outbox without reaching the transport:
 * - `overflow`: the outbox was full (`drop-oldest` dropped it, or `drop-newest` refused it).
 * - `expired`: it waited longer than `outbox.ttlMs`.
 * - `closed`: `close()` was called, or the loop stopped, before it could be sent.
 * - `send-failed`: the transport's `send()` threw.
 */
export type DropReason = 'overflow' | 'expired' | 'closed' | 'send-failed';

/** A message was dropped; rejects the `delivered` promise of its receipt. */
export class MessageDroppedError extends SturdySocketError {
  static override readonly brand: string = 'MessageDroppedError';

  /** Why it was dropped. */
  declare readonly dropReason: DropReason;

  constructor(dropReason: DropReason, cause?: unknown) {
    super(
      'ERR_RECONNECT_MESSAGE_DROPPED',
      `The message was dropped (${dropReason})`,
      cause === undefined ? {} : { cause },
    );
    this.dropReason = dropReason;
  }
}
