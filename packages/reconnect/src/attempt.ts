import type { Clock } from './clock.js';
import type { ConnectionHeartbeat } from './heartbeat-layer.js';
import type { RunningOpenGate } from './open-gate-layer.js';
import { abandonSocket, type WebSocketLike } from './transport.js';

/** One connection attempt and, once it opens, its connection. Fields fill in as it progresses. */
export interface Attempt {
  /** 1 for the first attempt of an outage, 2 for the first retry… */
  readonly number: number;
  /** Aborted when the attempt is abandoned; its signal reaches the factory and `beforeFlush`. */
  readonly controller: AbortController;
  /** The URL it connects to (the last one until the provider answers). */
  url: string;
  /** The connection timeout until open; after an `error` once the transport opened, the wait for its `close`. */
  timer?: unknown;
  socket?: WebSocketLike | undefined;
  /** The transport reported `open` (`beforeFlush` may still be running). */
  transportOpen?: boolean;
  /** When the attempt became `open` for the application. */
  openedAt?: number | undefined;
  /** The transport's `error`, kept for the `close` that follows. */
  error?: unknown;
  errorReported?: boolean;
  gate?: RunningOpenGate | undefined;
  heartbeat?: ConnectionHeartbeat | undefined;
}

/** How an abandoned attempt's socket is ended. */
export interface AbandonHow {
  readonly closeCode?: number;
  readonly closeReason?: string | undefined;
  /** Also `terminate()` it, where the transport can. */
  readonly terminate?: boolean;
}

/** Cancels the attempt's timer. */
export function clearAttemptTimer(attempt: Attempt, clock: Clock): void {
  if (attempt.timer !== undefined) clock.clearTimeout(attempt.timer);
  attempt.timer = undefined;
}

/** Disposes of an attempt: its timer, heartbeat, `beforeFlush` and socket. */
export function abandonAttempt(attempt: Attempt, how: AbandonHow, clock: Clock): void {
  clearAttemptTimer(attempt, clock);
  attempt.heartbeat?.stop();
  attempt.heartbeat = undefined;
  attempt.gate?.end(new Error('The attempt was abandoned'));
  attempt.gate = undefined;
  if (!attempt.controller.signal.aborted) attempt.controller.abort();
  const socket = attempt.socket;
  if (socket === undefined) return;
  // A socket already closing or closed gets no close code of its own, only the terminate asked for.
  const live = socket.readyState < 2;
  if (live || how.terminate === true) {
    abandonSocket(socket, live ? how.closeCode : undefined, how.closeReason, how.terminate === true);
  }
}
