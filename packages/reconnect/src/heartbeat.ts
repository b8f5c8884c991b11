import type { Clock } from './clock.js';
import type { MessageData } from './outbox.js';
import { hasProtocolPing, sendProtocolPing, type WebSocketLike } from './transport.js';

/** What a `Heartbeat` needs from its connection. */
export interface HeartbeatHooks {
  /** Sends one ping; the connection reports its pong (or any traffic) through `activity()`. */
  sendPing(): void;
  /** The pong deadline passed with no traffic: the connection is presumed dead. */
  onTimeout(): void;
  /** A pong (or other traffic) answered a ping after `rttMs`. */
  onPong?(rttMs: number): void;
}

/** Timing of a heartbeat, in milliseconds. */
export interface HeartbeatTiming {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/**
 * Dead-peer detection for one open connection. After `intervalMs` with nothing received it pings
 * and expects a pong (or any incoming traffic) within `timeoutMs`.
 *
 * Throttled timers (background tabs) and frozen pages fire late, all at once. So a timer never
 * trusts that it fired on time: the idle timer measures the silence since the last traffic and
 * re-arms for the remainder, and a pong deadline that fires more than `timeoutMs` late (the page
 * was frozen, so the pong may be sitting unprocessed in the task queue) sends a fresh ping with a
 * fresh deadline instead of declaring the peer dead.
 */
export class Heartbeat {
  readonly #clock: Clock;
  readonly #timing: HeartbeatTiming;
  readonly #hooks: HeartbeatHooks;
  #timer: unknown;
  #lastActivityAt = 0;
  #pingSentAt: number | undefined;
  #deadlineAt = 0;
  #running = false;

  constructor(clock: Clock, timing: HeartbeatTiming, hooks: HeartbeatHooks) {
    this.#clock = clock;
    this.#timing = timing;
    this.#hooks = hooks;
  }

  /** Whether a ping is waiting for its pong. */
  get awaitingPong(): boolean {
    return this.#pingSentAt !== undefined;
  }

  start(): void {
    this.#running = true;
    this.#lastActivityAt = this.#clock.now();
    this.#armIdle(this.#timing.intervalMs);
  }

  stop(): void {
    this.#running = false;
    this.#pingSentAt = undefined;
    this.#clearTimer();
  }

  /** Something arrived: the peer is alive. Cheap enough to call for every message. */
  activity(): void {
    if (!this.#running) return;
    this.#lastActivityAt = this.#clock.now();
    if (this.#pingSentAt !== undefined) this.#answered();
  }

  /** A pong arrived. */
  pong(): void {
    this.activity();
  }

  /** Pings now (say, when a hidden page becomes visible), unless a ping is already out. */
  checkNow(): void {
    if (!this.#running || this.#pingSentAt !== undefined) return;
    this.#ping();
  }

  #answered(): void {
    const rtt = this.#lastActivityAt - (this.#pingSentAt ?? this.#lastActivityAt);
    this.#pingSentAt = undefined;
    this.#armIdle(this.#timing.intervalMs);
    this.#hooks.onPong?.(rtt);
  }

  #armIdle(delayMs: number): void {
    this.#clearTimer();
    this.#timer = this.#clock.setTimeout(() => this.#onIdleTimer(), Math.max(0, delayMs));
  }

  #onIdleTimer(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    const silentFor = this.#clock.now() - this.#lastActivityAt;
    if (silentFor < this.#timing.intervalMs) {
      this.#armIdle(this.#timing.intervalMs - silentFor);
      return;
    }
    this.#ping();
  }

  #ping(): void {
    this.#clearTimer();
    const now = this.#clock.now();
    this.#pingSentAt = now;
    this.#deadlineAt = now + this.#timing.timeoutMs;
    this.#timer = this.#clock.setTimeout(() => this.#onDeadline(), this.#timing.timeoutMs);
    this.#hooks.sendPing();
  }

  #onDeadline(): void {
    this.#timer = undefined;
    if (!this.#running || this.#pingSentAt === undefined) return;
    const lateBy = this.#clock.now() - this.#deadlineAt;
    if (lateBy > this.#timing.timeoutMs) {
      // Fired far too late: the page was frozen or throttled, and the pong may not have been
      // processed yet. Ask again rather than kill a live connection.
      this.#ping();
      return;
    }
    this.stop();
    this.#hooks.onTimeout();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** What `startConnectionHeartbeat` needs to know. */
export interface ConnectionHeartbeatOptions {
  readonly mode: 'auto' | 'protocol' | 'application' | 'off';
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly message: MessageData | (() => MessageData) | undefined;
}

/**
 * Starts dead-peer detection on an open `socket`, with protocol pings where the transport has
 * `ping()` (a promise settling on the pong, or a `'pong'` event reported through `activity()`),
 * else the application ping. Returns `undefined` where no ping is possible or it is disabled;
 * `application` tells the caller to consume application pongs.
 */
export function startConnectionHeartbeat(
  socket: WebSocketLike,
  options: ConnectionHeartbeatOptions,
  clock: Clock,
  hooks: Pick<HeartbeatHooks, 'onTimeout' | 'onPong'>,
): { heartbeat: Heartbeat; application: boolean } | undefined {
  if (options.mode === 'off' || options.intervalMs <= 0) return undefined;
  const protocol = hasProtocolPing(socket);
  const mode =
    options.mode === 'auto'
      ? protocol
        ? 'protocol'
        : options.message !== undefined
          ? 'application'
          : undefined
      : options.mode;
  if (mode === undefined || (mode === 'protocol' && !protocol)) return undefined;
  const sendApplicationPing = (): void => {
    const message = options.message;
    if (message === undefined) return;
    try {
      socket.send(typeof message === 'function' ? message() : message);
    } catch {
      // A failing send means the connection is going; its close event follows.
    }
  };
  const heartbeat: Heartbeat = new Heartbeat(
    clock,
    { intervalMs: options.intervalMs, timeoutMs: options.timeoutMs },
    {
      sendPing: () => {
        if (mode === 'application') sendApplicationPing();
        else if (!sendProtocolPing(socket, () => heartbeat.pong())) sendApplicationPing();
      },
      ...hooks,
    },
  );
  heartbeat.start();
  return { heartbeat, application: mode === 'application' };
}
