import { Fifo } from '@sturdysocket/core';
import type { DropReason, MessageDroppedError } from './errors/message-dropped-error.js';

/** What `send()` accepts: the WHATWG `WebSocket.send()` argument types. */
export type MessageData = string | ArrayBufferLike | ArrayBufferView | Blob;

/** What happens when a message would take the outbox past a limit. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'reject';

/** The outbox's limits. */
export interface OutboxPolicy {
  /** The most messages held. */
  readonly maxMessages: number;
  /** The most bytes held (strings counted in UTF-8). */
  readonly maxBytes: number;
  /** See `OverflowPolicy`. */
  readonly overflow: OverflowPolicy;
  /** How long a message may wait, in milliseconds; `undefined` for no limit. */
  readonly ttlMs: number | undefined;
}

/** One queued message and the promise its sender may await. */
export interface OutboxEntry {
  readonly data: MessageData;
  readonly bytes: number;
  /** `clock.now()` when queued. */
  readonly queuedAt: number;
  /** Settles the entry's `delivered` promise. */
  readonly settle: (error?: MessageDroppedError) => void;
}

/** The verdict of `planEnqueue`: which held entries must go to make room, or why nothing fits. */
export type EnqueuePlan =
  | { readonly accept: true; readonly evict: number }
  | { readonly accept: false; readonly limit: 'maxMessages' | 'maxBytes' };

const encoder = /* @__PURE__ */ new TextEncoder();

/** The size of a message on the wire before framing: UTF-8 bytes for text. */
export function messageByteLength(data: MessageData): number {
  if (typeof data === 'string') return utf8Length(data);
  if (typeof (data as Blob).size === 'number' && typeof (data as Blob).slice === 'function') return (data as Blob).size;
  return (data as ArrayBufferLike | ArrayBufferView).byteLength;
}

function utf8Length(text: string): number {
  // ASCII is the common case and needs no encoding pass.
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) > 0x7f) return encoder.encode(text).length;
  }
  return text.length;
}

/** What an outbox holds, as `planEnqueue` reads it. */
export interface HeldMessages {
  /** How many messages are held. */
  readonly size: number;
  /** Their sizes added up. */
  readonly bytes: number;
  /** The size of the `index`-th oldest (0 is the oldest). Read only for those to evict. */
  sizeAt(index: number): number;
}

/**
 * Pure overflow policy: given what is held and a new message's size, how many of the oldest must
 * be evicted (`drop-oldest`), or whether the new one is refused (`drop-newest`, `reject`, or a
 * message larger than `maxBytes` on its own). Reads only the sizes it evicts, so a full outbox
 * takes constant time per message, however large `maxMessages` is.
 */
export function planEnqueue(held: HeldMessages, bytes: number, policy: OutboxPolicy): EnqueuePlan {
  if (policy.maxMessages < 1) return { accept: false, limit: 'maxMessages' };
  if (bytes > policy.maxBytes) return { accept: false, limit: 'maxBytes' };
  const fitsCount = held.size + 1 <= policy.maxMessages;
  const fitsBytes = held.bytes + bytes <= policy.maxBytes;
  if (fitsCount && fitsBytes) return { accept: true, evict: 0 };
  if (policy.overflow !== 'drop-oldest') return { accept: false, limit: fitsCount ? 'maxBytes' : 'maxMessages' };
  let evict = 0;
  let count = held.size;
  let total = held.bytes;
  while (count + 1 > policy.maxMessages || total + bytes > policy.maxBytes) {
    total -= held.sizeAt(evict);
    count -= 1;
    evict += 1;
  }
  return { accept: true, evict };
}

/** The result of `Outbox.enqueue`. */
export type EnqueueResult =
  | { readonly queued: true; readonly evicted: readonly OutboxEntry[] }
  | { readonly queued: false; readonly limit: 'maxMessages' | 'maxBytes' };

/**
 * Messages waiting for an open connection, in order, bounded by count and bytes. Holds no timers:
 * the socket asks it what expired (`expire`) and when the next entry will (`nextExpiryAt`).
 * Every operation takes time in proportion to the entries it removes, not to those it holds.
 */
export class Outbox implements HeldMessages {
  readonly #policy: OutboxPolicy;
  readonly #entries = new Fifo<OutboxEntry>();
  #bytes = 0;

  constructor(policy: OutboxPolicy) {
    this.#policy = policy;
  }

  get size(): number {
    return this.#entries.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  sizeAt(index: number): number {
    return this.#entries.at(index)?.bytes ?? 0;
  }

  /** Queues `entry` under the overflow policy; evicted entries are returned, not yet settled. */
  enqueue(entry: OutboxEntry): EnqueueResult {
    const plan = planEnqueue(this, entry.bytes, this.#policy);
    if (!plan.accept) return { queued: false, limit: plan.limit };
    const evicted: OutboxEntry[] = [];
    for (let i = 0; i < plan.evict; i++) evicted.push(this.shift()!);
    this.#entries.push(entry);
    this.#bytes += entry.bytes;
    return { queued: true, evicted };
  }

  /** The oldest entry, without removing it. */
  peek(): OutboxEntry | undefined {
    return this.#entries.peek();
  }

  /** Removes and returns the oldest entry. */
  shift(): OutboxEntry | undefined {
    const entry = this.#entries.shift();
    if (entry) this.#bytes -= entry.bytes;
    return entry;
  }

  /**
   * Removes and returns the entries older than `ttlMs` at `now`: those at the front, since
   * entries are queued in time order (after a wall-clock step back, a younger entry may wait
   * behind an older one until that one expires too).
   */
  expire(now: number): OutboxEntry[] {
    const ttl = this.#policy.ttlMs;
    const expired: OutboxEntry[] = [];
    if (ttl === undefined) return expired;
    for (let first = this.peek(); first !== undefined && now - first.queuedAt >= ttl; first = this.peek()) {
      expired.push(this.shift()!);
    }
    return expired;
  }

  /** When the oldest entry expires, or `undefined` (empty, or no TTL). */
  nextExpiryAt(): number | undefined {
    const first = this.peek();
    const ttl = this.#policy.ttlMs;
    return first === undefined || ttl === undefined ? undefined : first.queuedAt + ttl;
  }

  /** Removes and returns every entry. */
  drain(): OutboxEntry[] {
    const all = this.#entries.toArray();
    this.#entries.clear();
    this.#bytes = 0;
    return all;
  }
}

/** Makes a pending delivery: a promise that never goes unhandled, and its settle function. */
export function createDelivery(): { promise: Promise<void>; settle: (error?: MessageDroppedError) => void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A sender that ignores the receipt must not get an unhandled rejection; one that awaits it still sees it.
  promise.catch(() => undefined);
  return { promise, settle: (error) => (error ? reject(error) : resolve()) };
}

export type { DropReason };
