interface PendingPing {
  readonly payload: Uint8Array;
  readonly sentAt: number;
  readonly resolve: (rttMs: number) => void;
  readonly reject: (error: unknown) => void;
}

function samePayload(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Matches pongs to the pings `WebSocket.ping()` sent and measures their round trip. RFC 6455
 * §5.5.3 lets a peer answer only the most recent of several pings, so a pong answers the ping
 * with its payload and every ping sent before it.
 */
export class PingTracker {
  private pending: PendingPing[] = [];
  private counter = 0;

  /** A payload no earlier ping of this connection carried: a 4-byte big-endian counter. */
  nextPayload(): Uint8Array {
    const payload = new Uint8Array(4);
    new DataView(payload.buffer).setUint32(0, this.counter);
    this.counter = (this.counter + 1) >>> 0;
    return payload;
  }

  /** Registers a ping about to be sent; resolves with its round-trip time in milliseconds. */
  expect(payload: Uint8Array): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ payload, sentAt: performance.now(), resolve, reject });
    });
  }

  /** A pong arrived; unsolicited ones (matching no ping) are ignored, as §5.5.3 allows them. */
  answer(payload: Uint8Array): void {
    const index = this.pending.findIndex((ping) => samePayload(ping.payload, payload));
    if (index === -1) return;
    const now = performance.now();
    for (const ping of this.pending.splice(0, index + 1)) ping.resolve(now - ping.sentAt);
  }

  /** Rejects every unanswered ping with `makeError()` (called only if one is pending). */
  rejectAll(makeError: () => unknown): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    const error = makeError();
    for (const ping of pending) ping.reject(error);
  }
}
