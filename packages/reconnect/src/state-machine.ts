/**
 * The states of a `ReconnectingWebSocket`:
 * - `connecting`: an attempt runs (providers, factory, handshake, `beforeFlush`).
 * - `open`: connected; `send()` goes straight to the transport.
 * - `closing`: the user called `close()` on an open connection; waiting for the closing handshake.
 * - `waiting`: between attempts (a backoff timer runs, or attempts are paused while offline).
 * - `closed`: the loop has ended: the user called `close()`, the classifier said `stop`, or the
 *   retry limit was reached. Only `reconnect()` leaves it.
 */
export type ReconnectState = 'connecting' | 'open' | 'closing' | 'waiting' | 'closed';

/** Every legal transition. Anything else is a bug, and `assertTransition` says so. */
export const STATE_TRANSITIONS: Readonly<Record<ReconnectState, readonly ReconnectState[]>> = {
  // A new attempt may replace a running one (`reconnect()`), hence connecting → connecting.
  connecting: ['connecting', 'open', 'waiting', 'closed'],
  open: ['connecting', 'closing', 'waiting', 'closed'],
  closing: ['connecting', 'closed'],
  waiting: ['connecting', 'closed'],
  closed: ['connecting', 'waiting'],
};

export function canTransition(from: ReconnectState, to: ReconnectState): boolean {
  return STATE_TRANSITIONS[from].includes(to);
}

export function assertTransition(from: ReconnectState, to: ReconnectState): void {
  if (!canTransition(from, to)) throw new Error(`sturdysocket: illegal state transition ${from} → ${to}`);
}

/** The WHATWG `readyState` each state presents, so code written for `WebSocket` keeps working. */
const READY_STATES = { connecting: 0, waiting: 0, open: 1, closing: 2, closed: 3 } as const;

/** The WHATWG `readyState` a state presents, so code written for `WebSocket` keeps working. */
export function readyStateOf(state: ReconnectState): 0 | 1 | 2 | 3 {
  return READY_STATES[state];
}
