import { OpenGateError } from './errors/open-gate-error.js';
import type { RunningOpenGate } from './open-gate-layer.js';
import { type BeforeFlushContext, type BeforeFlushHook, ReconnectCloseCode } from './options.js';
import type { WebSocketLike } from './transport.js';

interface Waiter {
  readonly predicate: (data: unknown) => boolean;
  readonly resolve: (data: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The gate of a connection whose transport just opened: `run` calls `hook` with `send` and
 * `nextMessage`. The connection's messages are offered first to the hook's `nextMessage` calls,
 * held otherwise, and handed back (in order) by `end` for the application.
 */
export function createOpenGate(
  hook: BeforeFlushHook,
  socket: WebSocketLike,
  attempt: number,
  url: string,
  signal: AbortSignal,
): RunningOpenGate {
  const held: unknown[] = [];
  const waiters: Waiter[] = [];
  let ended = false;
  const context: BeforeFlushContext = {
    socket,
    attempt,
    url,
    protocol: socket.protocol ?? '',
    signal,
    send: (data) => socket.send(data),
    nextMessage: (predicate = () => true) => {
      const index = held.findIndex((data) => matches(predicate, data));
      if (index >= 0) return Promise.resolve(held.splice(index, 1)[0]);
      if (signal.aborted || ended) return Promise.reject(signal.reason ?? new Error('beforeFlush has finished'));
      return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
  };
  return {
    run(settle) {
      // The executor turns a hook that throws at once into a rejection, like an async hook's.
      new Promise<void>((resolve) => resolve(hook(context))).then(
        () => settle(),
        (error: unknown) => settle(new OpenGateError(ReconnectCloseCode.OpenGateFailed, error)),
      );
    },
    offer(data) {
      const index = waiters.findIndex((waiter) => matches(waiter.predicate, data));
      if (index >= 0) waiters.splice(index, 1)[0]?.resolve(data);
      else held.push(data);
    },
    end(error) {
      // A second call finds both lists empty, and so returns nothing.
      ended = true;
      for (const waiter of waiters.splice(0)) waiter.reject(error);
      return held.splice(0);
    },
  };
}

/** Calls a user predicate; one that throws does not match. */
export function matches(predicate: (data: unknown) => boolean, data: unknown): boolean {
  try {
    return predicate(data) === true;
  } catch {
    return false;
  }
}
