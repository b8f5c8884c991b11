import type { DropReason } from './errors/message-dropped-error.js';

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

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * The size of a message on the wire before framing: UTF-8 bytes for text. Anything that is not an
 * object counts as the text `WebSocket.send()` makes of it (WebIDL's USVString conversion: a
 * number, from plain JavaScript, is sent as its digits).
 */
export function messageByteLength(data: MessageData): number {
  if (typeof data === 'object') return (data as Blob).size ?? (data as ArrayBufferView).byteLength;
  const text = String(data);
  // ASCII, the common case, is one byte a character: only other text needs an encoding pass.
  return /[\u0080-\uffff]/.test(text) ? encoder.encode(text).length : text.length;
}

/**
 * The limit that an outbox holding `messages` messages of `bytes` bytes in all is past, if any:
 * the rule the overflow policy enforces. A new message is refused when it would take the outbox
 * past a limit (`drop-newest`, `reject`), or would not fit even an empty one (`drop-oldest`, which
 * otherwise makes room by evicting the oldest until no limit is past).
 */
export function exceededLimit(
  messages: number,
  bytes: number,
  policy: OutboxPolicy,
): 'maxMessages' | 'maxBytes' | undefined {
  if (messages > policy.maxMessages) return 'maxMessages';
  if (bytes > policy.maxBytes) return 'maxBytes';
  return undefined;
}

export type { DropReason };
