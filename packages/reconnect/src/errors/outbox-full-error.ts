import { SturdySocketError } from '@sturdysocket/core';

/** Thrown by `send()` when the outbox is full and `outbox.overflow` is `reject`; nothing was queued. */
export class OutboxFullError extends SturdySocketError {
  static override readonly brand: string = 'OutboxFullError';

  constructor(limit: 'maxMessages' | 'maxBytes') {
    super('ERR_RECONNECT_OUTBOX_FULL', `The outbox is full (${limit}); the message was not queued`);
  }
}
