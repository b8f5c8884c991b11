import type { Clock } from './clock.js';
import { HeartbeatTimeoutError } from './errors/heartbeat-timeout-error.js';
import { startConnectionHeartbeat } from './heartbeat.js';
import { matches } from './open-gate.js';
import { type HeartbeatOptions, resolveHeartbeatOptions } from './options.js';
import { listenForProtocolPongs, type WebSocketLike } from './transport.js';

/** What a connection's heartbeat tells the socket it runs for. */
export interface HeartbeatEvents {
  /** No pong in time: the socket closes the connection with `error.closeCode` and reconnects. */
  onTimeout(error: HeartbeatTimeoutError): void;
  /** A pong (or other traffic) answered a ping after `rttMs`. */
  onPong(rttMs: number): void;
}

/** The heartbeat of one open connection, as the socket drives it. */
export interface ConnectionHeartbeat {
  /** Ends it: no timer is left. */
  stop(): void;
  /** A message arrived: the peer is alive. */
  activity(): void;
  /** Pings now, unless a ping is out (a hidden page became visible). */
  checkNow(): void;
  /** Whether `data` is an application pong, which the heartbeat consumes (no `message` event). */
  consumes(data: unknown): boolean;
}

/**
 * Dead-peer detection as a value: what `heartbeat()` returns and `ReconnectOptions.heartbeat` of
 * `ReconnectingWebSocketCore` (and `connect()`'s `heartbeat`) takes. A socket given none ships and
 * runs no heartbeat code.
 */
export interface HeartbeatLayer {
  /** Starts the heartbeat of a connection that just opened; `undefined` where it has none. */
  start(socket: WebSocketLike, clock: Clock, events: HeartbeatEvents): ConnectionHeartbeat | undefined;
}

/**
 * The heartbeat layer: protocol pings where the transport has `ping()` (Node), else the
 * application ping `message`, with a pong deadline; see `HeartbeatOptions`. Options are checked
 * here, with the same errors as `ReconnectingWebSocket`'s `heartbeat` option.
 * @example connect(url, { heartbeat: heartbeat({ message: 'ping', isPong: (data) => data === 'pong' }) })
 */
export function heartbeat(options: HeartbeatOptions = {}): HeartbeatLayer {
  const resolved = resolveHeartbeatOptions(options);
  return {
    start(socket, clock, events) {
      const started = startConnectionHeartbeat(socket, resolved, clock, {
        onTimeout: () => events.onTimeout(new HeartbeatTimeoutError(resolved.timeoutMs, resolved.closeCode)),
        onPong: events.onPong,
      });
      if (started === undefined) return undefined;
      const { heartbeat: running, application } = started;
      listenForProtocolPongs(socket, () => running.pong());
      const isPong = resolved.isPong;
      return {
        stop: () => running.stop(),
        activity: () => running.activity(),
        checkNow: () => running.checkNow(),
        consumes: (data) => application && isPong !== undefined && matches(isPong, data),
      };
    },
  };
}
