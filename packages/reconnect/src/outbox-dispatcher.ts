import type { Clock } from './clock.js';
import { type DropReason, MessageDroppedError } from './errors/message-dropped-error.js';
import { OutboxFullError } from './errors/outbox-full-error.js';
import { exceededLimit, type MessageData, messageByteLength, type OutboxPolicy } from './outbox.js';
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

/** A message waiting in the outbox. */
interface QueuedMessage {
  readonly data: MessageData;
  /** `messageByteLength(data)`. */
  readonly bytes: number;
  /** `clock.now()` when queued. */
  readonly queuedAt: number;
  /** Settles the receipt's `delivered` promise: resolves it, or rejects it with `error`. */
  readonly settle: (error?: MessageDroppedError) => void;
  /** The message queued after this one. */
  next?: QueuedMessage | undefined;
}

/**
 * The outbox: messages waiting for an open connection, in order, bounded by count and bytes. It
 * queues under the overflow policy, expires by TTL (one timer, for the earliest expiry), flushes in
 * order, and reports every drop through `onDrop` — none is silent. Every operation takes time in
 * proportion to the messages it adds or removes, not to those it holds.
 */
export class OutboxDispatcher {
  readonly #policy: OutboxPolicy;
  readonly #clock: Clock;
  readonly #onDrop: (data: MessageData, reason: DropReason) => void;
  // A list linked through the messages themselves: constant time at both ends at any length, with
  // no array to compact.
  #first: QueuedMessage | undefined;
  #last: QueuedMessage | undefined;
  #size = 0;
  #bytes = 0;
  #expiryTimer: unknown;

  constructor(policy: OutboxPolicy, clock: Clock, onDrop: (data: MessageData, reason: DropReason) => void) {
    this.#policy = policy;
    this.#clock = clock;
    this.#onDrop = onDrop;
  }

  /** Messages queued. */
  get size(): number {
    return this.#size;
  }

  /** Their bytes added up. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Queues `data` under the overflow policy: `drop-oldest` evicts the oldest until it fits,
   * `drop-newest` drops it, `reject` throws `OutboxFullError` (and queues nothing).
   */
  queue(data: MessageData): SendReceipt {
    const policy = this.#policy;
    const bytes = messageByteLength(data);
    // `drop-oldest` makes room by evicting, so it refuses only what would not fit an empty outbox.
    const limit =
      policy.overflow === 'drop-oldest'
        ? exceededLimit(1, bytes, policy)
        : exceededLimit(this.#size + 1, this.#bytes + bytes, policy);
    if (limit && policy.overflow === 'reject') throw new OutboxFullError(limit);
    if (limit) return this.refuse(data, 'overflow');
    // A message may wait no time at all: it expires as it arrives.
    if (policy.ttlMs === 0) return this.refuse(data, 'expired');
    const [delivered, settle] = createDelivery();
    this.#push({ data, bytes, queuedAt: this.#clock.now(), settle });
    // The evicted are dropped once the new message is queued, so a `drop` listener that sends
    // queues behind it.
    while (exceededLimit(this.#size, this.#bytes, policy)) this.#drop(this.#shift(), 'overflow');
    this.#expire();
    return { status: 'queued', delivered };
  }

  /** Drops `data` at once (sent while the loop is closing or closed, or refused on overflow). */
  refuse(data: MessageData, reason: DropReason): SendReceipt {
    const [delivered, settle] = createDelivery();
    this.#drop({ data, settle }, reason);
    return { status: 'dropped', delivered };
  }

  /**
   * Sends the queue in order to an open `socket`; returns how many went. Stops when the socket is
   * no longer OPEN (the rest wait for the next connection); a message an OPEN socket refuses is
   * dropped as `send-failed`, since it would block the queue forever.
   */
  flush(socket: WebSocketLike): number {
    this.#expire();
    let flushed = 0;
    for (let message = this.#first; message && socket.readyState === 1; message = this.#first) {
      try {
        socket.send(message.data);
      } catch (error) {
        if (socket.readyState !== 1) break;
        if (this.#first === message) this.#drop(this.#shift(), 'send-failed', error);
        continue;
      }
      // A transport that fails the connection inside send() runs the loop's listeners there, and
      // one may have ended the loop, which dropped this message with the rest: it is settled.
      if (this.#first !== message) continue;
      this.#shift().settle();
      flushed++;
    }
    // Re-arms the expiry timer for what is left.
    this.#expire();
    return flushed;
  }

  /**
   * Empties the outbox now, timer included, and returns the function that drops what it held
   * (`drop` events, rejected receipts). The loop ends with it: it empties the outbox before it
   * tells anyone, and drops after, so what a listener sends meanwhile (after `reconnect()`, say)
   * waits for the next connection instead of being dropped with the rest.
   */
  detach(reason: DropReason): () => void {
    let message = this.#first;
    this.#first = this.#last = undefined;
    this.#size = this.#bytes = 0;
    this.#expire(); // with nothing left to expire, this clears the timer
    return () => {
      for (; message; message = message.next) this.#drop(message, reason);
    };
  }

  #push(message: QueuedMessage): void {
    if (this.#first) this.#last!.next = message;
    else this.#first = message;
    this.#last = message;
    this.#size++;
    this.#bytes += message.bytes;
  }

  /** Removes the oldest message; the caller knows there is one. */
  #shift(): QueuedMessage {
    const message = this.#first!;
    this.#first = message.next;
    // An empty list keeps no message alive.
    if (!this.#first) this.#last = undefined;
    this.#size--;
    this.#bytes -= message.bytes;
    return message;
  }

  /**
   * Drops the messages that waited `ttlMs` or longer, then sets the one expiry timer for the oldest
   * left. Only the front is checked: messages are queued in time order (after a wall-clock step
   * back, a younger one may wait behind an older one until that one expires too).
   */
  #expire(): void {
    const clock = this.#clock;
    const ttl = this.#policy.ttlMs;
    if (ttl === undefined) return;
    const now = clock.now();
    while (this.#first && now - this.#first.queuedAt >= ttl) this.#drop(this.#shift(), 'expired');
    if (this.#expiryTimer !== undefined) clock.clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    // What is left has not expired at `now`, so the delay is positive.
    if (this.#first) this.#expiryTimer = clock.setTimeout(() => this.#expire(), this.#first.queuedAt + ttl - now);
  }

  #drop(message: Pick<QueuedMessage, 'data' | 'settle'>, reason: DropReason, cause?: unknown): void {
    message.settle(new MessageDroppedError(reason, cause));
    this.#onDrop(message.data, reason);
  }
}

/** A pending `delivered` promise and its settle function; the promise never goes unhandled. */
function createDelivery(): [Promise<void>, QueuedMessage['settle']] {
  let settle!: QueuedMessage['settle'];
  const delivered = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve());
  });
  // A sender that ignores the receipt must not get an unhandled rejection; one that awaits it still sees it.
  delivered.catch(() => undefined);
  return [delivered, settle];
}
