import { MAX_TIMER_DELAY_MS } from '@sturdysocket/core';

/**
 * Time, injected. The reconnect layer reads the time and sets timers only through a `Clock`, so
 * every policy (backoff, uptime, timeouts, heartbeat, TTL) can be driven by a fake clock in tests.
 */
export interface Clock {
  /** Milliseconds since an arbitrary epoch; wall-clock (`Date.now()`) by default. */
  now(): number;
  /** Calls `callback` once after `delayMs`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, delayMs: number): unknown;
  /** Cancels a timer set by this clock's `setTimeout`; ignores a handle that already fired. */
  clearTimeout(handle: unknown): void;
}

/**
 * The environment's timers and `Date.now()`: every runtime (browsers, Node, Deno, Bun) has them.
 * Their timers take at most 2^31 − 1 ms (about 24.8 days) and fire a longer delay (`Infinity`
 * included) at once, which would turn "never" into "now" (`connectionTimeoutMs: Infinity` would
 * fail every attempt as it starts): a longer delay waits that long instead.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, Math.min(delayMs, MAX_TIMER_DELAY_MS)),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};
