import type { Clock } from './clock.js';
import { type DropReason, MessageDroppedError } from './errors/message-dropped-error.js';
import { OutboxFullError } from './errors/outbox-full-error.js';
import {
  createDelivery,
  type MessageData,
  messageByteLength,
  Outbox,
  type OutboxEntry,
  type OutboxPolicy,
} from './outbox.js';
import type { WebSocketLike } from './transport.js';

/** What happened to a message handed to `send()`. */
export type SendStatus = 'sent' | 'queued' | 'dropped';

/** The outcome of `sendWithReceipt()`. */
export interface SendReceipt {
  /** `sent`: handed to the open transport; `queued`: in the outbox; `dropped`: see the `drop` event. */
  readonly status: SendStatus;
  /**
   * Resolves when the message is handed to an open transport (at once for `sent`, at the flush
   * for `queued`); rejects with `MessageDroppedError` if it is dropped instead. It never causes an
   * unhandled rejection when ignored.
   */
  readonly delivered: Promise<void>;
}

/** A receipt for a message handed to the open transport. */
export const SENT: SendReceipt = /* @__PURE__ */ Object.freeze({
  status: 'sent',
  delivered: /* @__PURE__ */ Promise.resolve(),
});

/**
 * The outbox at work: queues under the overflow policy, expires by TTL (one timer, for the
 * earliest expiry), flushes in order, and reports every drop through `onDrop` — none is silent.
 */
export class OutboxDispatcher {
  readonly #outbox: Outbox;
  readonly #policy: OutboxPolicy;
  readonly #clock: Clock;
  readonly #onDrop: (data: MessageData, reason: DropReason) => void;
  #expiryTimer: unknown;

  constructor(policy: OutboxPolicy, clock: Clock, onDrop: (data: MessageData, reason: DropReason) => void) {
    this.#outbox = new Outbox(policy);
    this.#policy = policy;
    this.#clock = clock;
    this.#onDrop = onDrop;
  }

  get size(): number {
    return this.#outbox.size;
  }

  get bytes(): number {
    return this.#outbox.bytes;
  }

  /** Queues `data`; throws `OutboxFullError` when full under the `reject` policy. */
  queue(data: MessageData): SendReceipt {
    const { promise, settle } = createDelivery();
    const entry: OutboxEntry = { data, bytes: messageByteLength(data), queuedAt: this.#clock.now(), settle };
    const result = this.#outbox.enqueue(entry);
    if (!result.queued) {
      if (this.#policy.overflow === 'reject') {
        settle(new MessageDroppedError('overflow'));
        throw new OutboxFullError(result.limit);
      }
      this.#drop(entry, 'overflow');
      return { status: 'dropped', delivered: promise };
    }
    for (const evicted of result.evicted) this.#drop(evicted, 'overflow');
    this.#scheduleExpiry();
    return { status: 'queued', delivered: promise };
  }

  /** Drops `data` at once (sent while the loop is closing or closed). */
  refuse(data: MessageData, reason: DropReason): SendReceipt {
    const { promise, settle } = createDelivery();
    this.#drop({ data, bytes: 0, queuedAt: this.#clock.now(), settle }, reason);
    return { status: 'dropped', delivered: promise };
  }

  /**
   * Sends the queue in order to an open `socket`; returns how many went. Stops when the socket is
   * no longer OPEN (the rest wait for the next connection); a message an OPEN socket refuses is
   * dropped as `send-failed`, since it would block the queue forever.
   */
  flush(socket: WebSocketLike): number {
    this.#expire();
    let flushed = 0;
    for (let entry = this.#outbox.peek(); entry !== undefined; entry = this.#outbox.peek()) {
      if (socket.readyState !== 1) break;
      try {
        socket.send(entry.data);
      } catch (error) {
        if (socket.readyState !== 1) break;
        this.#outbox.shift();
        this.#drop(entry, 'send-failed', error);
        continue;
      }
      this.#outbox.shift();
      entry.settle();
      flushed++;
    }
    this.#scheduleExpiry();
    return flushed;
  }

  /** Drops everything queued, and the expiry timer with it. */
  dropAll(reason: DropReason): void {
    this.#clearExpiry();
    for (const entry of this.#outbox.drain()) this.#drop(entry, reason);
  }

  #expire(): void {
    for (const entry of this.#outbox.expire(this.#clock.now())) this.#drop(entry, 'expired');
  }

  #scheduleExpiry(): void {
    this.#clearExpiry();
    const at = this.#outbox.nextExpiryAt();
    if (at === undefined) return;
    this.#expiryTimer = this.#clock.setTimeout(
      () => {
        this.#expiryTimer = undefined;
        this.#expire();
        this.#scheduleExpiry();
      },
      Math.max(0, at - this.#clock.now()),
    );
  }

  #clearExpiry(): void {
    if (this.#expiryTimer !== undefined) this.#clock.clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
  }

  #drop(entry: OutboxEntry, reason: DropReason, cause?: unknown): void {
    entry.settle(new MessageDroppedError(reason, cause));
    this.#onDrop(entry.data, reason);
  }
}
