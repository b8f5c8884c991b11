import type { OpenGateError } from './errors/open-gate-error.js';
import { createOpenGate } from './open-gate.js';
import type { BeforeFlushHook } from './options.js';
import type { WebSocketLike } from './transport.js';

/** The gate of one connection, as the socket drives it. */
export interface RunningOpenGate {
  /**
   * Runs the hook; `settle` is called once: with nothing when it resolved, with an
   * `OpenGateError` (its `closeCode` the one to close with) when it threw or rejected.
   */
  run(settle: (error?: OpenGateError) => void): void;
  /** A message arrived while the hook runs: a waiting `nextMessage` takes it, or it is held. */
  offer(data: unknown): void;
  /** Ends the gate: pending `nextMessage` calls reject with `error`; returns the held messages. */
  end(error: Error): unknown[];
}

/**
 * `beforeFlush` as a value: what `openGate()` returns and `ReconnectingWebSocketCore` (and
 * `connect()`'s `reconnect.beforeFlush`) takes. A socket given none ships no gate code.
 */
export interface OpenGateLayer {
  /** The hook the gate runs. */
  readonly hook: BeforeFlushHook;
  /** The gate of a connection whose transport just opened. */
  open(socket: WebSocketLike, attempt: number, url: string, signal: AbortSignal): RunningOpenGate;
}

/**
 * The open gate: `hook` runs after the transport opens and before the outbox flushes, with
 * `send` and `nextMessage` (see `ReconnectOptions.beforeFlush`). Throws a `TypeError` unless
 * `hook` is a function.
 * @example connect(url, { reconnect: { beforeFlush: openGate(async ({ send, nextMessage }) => { … }) } })
 */
export function openGate(hook: BeforeFlushHook): OpenGateLayer {
  if (typeof hook !== 'function') throw new TypeError('beforeFlush must be a function');
  return {
    hook,
    open: (socket, attempt, url, signal) => createOpenGate(hook, socket, attempt, url, signal),
  };
}
