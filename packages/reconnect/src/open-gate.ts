import type { BeforeFlushContext } from './options.js';
import type { WebSocketLike } from './transport.js';

interface Waiter {
  readonly predicate: (data: unknown) => boolean;
  readonly resolve: (data: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The messages of a connection while `beforeFlush` runs: offered first to the hook's
 * `nextMessage` calls, held otherwise, and handed to the application (in order) once it opens.
 */
export class OpenGate {
  /** What `beforeFlush` receives. */
  readonly context: BeforeFlushContext;
  readonly #held: unknown[] = [];
  readonly #waiters: Waiter[] = [];
  #ended = false;

  constructor(socket: WebSocketLike, attempt: number, url: string, signal: AbortSignal) {
    this.context = {
      socket,
      attempt,
      url,
      protocol: socket.protocol ?? '',
      signal,
      send: (data) => socket.send(data),
      nextMessage: (predicate = () => true) => this.#nextMessage(predicate, signal),
    };
  }

  /** A message arrived: a waiting `nextMessage` takes it, or it is held. */
  offer(data: unknown): void {
    const index = this.#waiters.findIndex((waiter) => matches(waiter.predicate, data));
    if (index >= 0) this.#waiters.splice(index, 1)[0]?.resolve(data);
    else this.#held.push(data);
  }

  /** Ends the gate: pending `nextMessage` calls reject with `error`; returns the held messages. */
  end(error: Error): unknown[] {
    if (this.#ended) return [];
    this.#ended = true;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    return this.#held.splice(0);
  }

  #nextMessage(predicate: (data: unknown) => boolean, signal: AbortSignal): Promise<unknown> {
    const index = this.#held.findIndex((data) => matches(predicate, data));
    if (index >= 0) return Promise.resolve(this.#held.splice(index, 1)[0]);
    if (signal.aborted || this.#ended) return Promise.reject(signal.reason ?? new Error('beforeFlush has finished'));
    return new Promise((resolve, reject) => this.#waiters.push({ predicate, resolve, reject }));
  }
}

/** Calls a user predicate; one that throws does not match. */
export function matches(predicate: (data: unknown) => boolean, data: unknown): boolean {
  try {
    return predicate(data) === true;
  } catch {
    return false;
  }
}
