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

/**
 * Pure overflow policy: given the sizes held (oldest first) and a new message's size, how many of
 * the oldest must be evicted (`drop-oldest`), or whether the new one is refused (`drop-newest`,
 * `reject`, or a message larger than `maxBytes` on its own).
 */
export function planEnqueue(
  heldSizes: readonly number[],
  heldBytes: number,
  bytes: number,
  policy: OutboxPolicy,
): EnqueuePlan {
  if (policy.maxMessages < 1) return { accept: false, limit: 'maxMessages' };
  if (bytes > policy.maxBytes) return { accept: false, limit: 'maxBytes' };
  const fitsCount = heldSizes.length + 1 <= policy.maxMessages;
  const fitsBytes = heldBytes + bytes <= policy.maxBytes;
  if (fitsCount && fitsBytes) return { accept: true, evict: 0 };
  if (policy.overflow !== 'drop-oldest') return { accept: false, limit: fitsCount ? 'maxBytes' : 'maxMessages' };
  let evict = 0;
  let count = heldSizes.length;
  let total = heldBytes;
  while (count + 1 > policy.maxMessages || total + bytes > policy.maxBytes) {
    total -= heldSizes[evict] ?? 0;
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
 */
export class Outbox {
  readonly #policy: OutboxPolicy;
  #entries: OutboxEntry[] = [];
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

  /** Queues `entry` under the overflow policy; evicted entries are returned, not yet settled. */
  enqueue(entry: OutboxEntry): EnqueueResult {
    const plan = planEnqueue(
      this.#entries.map((held) => held.bytes),
      this.#bytes,
      entry.bytes,
      this.#policy,
    );
    if (!plan.accept) return { queued: false, limit: plan.limit };
    const evicted = this.#entries.splice(0, plan.evict);
    for (const old of evicted) this.#bytes -= old.bytes;
    this.#entries.push(entry);
    this.#bytes += entry.bytes;
    return { queued: true, evicted };
  }

  /** The oldest entry, without removing it. */
  peek(): OutboxEntry | undefined {
    return this.#entries[0];
  }

  /** Removes and returns the oldest entry. */
  shift(): OutboxEntry | undefined {
    const entry = this.#entries.shift();
    if (entry) this.#bytes -= entry.bytes;
    return entry;
  }

  /** Removes and returns every entry older than `ttlMs` at `now`. */
  expire(now: number): OutboxEntry[] {
    const ttl = this.#policy.ttlMs;
    if (ttl === undefined) return [];
    const expired: OutboxEntry[] = [];
    this.#entries = this.#entries.filter((entry) => {
      if (now - entry.queuedAt < ttl) return true;
      expired.push(entry);
      this.#bytes -= entry.bytes;
      return false;
    });
    return expired;
  }

  /** When the oldest entry expires, or `undefined` (empty, or no TTL). */
  nextExpiryAt(): number | undefined {
    const first = this.#entries[0];
    const ttl = this.#policy.ttlMs;
    return first === undefined || ttl === undefined ? undefined : first.queuedAt + ttl;
  }

  /** Removes and returns every entry. */
  drain(): OutboxEntry[] {
    const all = this.#entries;
    this.#entries = [];
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
