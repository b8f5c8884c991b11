import { invokeSafely } from '@sturdysocket/core';

/** A map of event names to listener signatures, as `ReconnectEventMap`. */
type EventMap<Events> = { [E in keyof Events]: (...args: never[]) => void };

/** One subscription and the guarded function registered for it. */
interface Registration {
  readonly event: string;
  readonly listener: unknown;
  readonly guarded: (...args: unknown[]) => void;
}

/**
 * Typed events in which each listener runs in its own guard: one that throws is reported as the
 * platform reports uncaught errors, and neither skips the listeners after it nor unwinds into the
 * code that emitted. An emit calls the listeners subscribed when it began, in the order they
 * subscribed, skipping any removed before its turn came (DOM dispatch's rule; eventemitter3,
 * which this replaced, called them anyway — and the registrations it kept for
 * `off()` and `count()` were already the whole registry, so the browser bundle carried a second
 * one for nothing).
 */
export class GuardedEmitter<Events extends EventMap<Events>> {
  readonly #registrations: Registration[] = [];

  /** Subscribes `listener` (for the next occurrence only when `once`); returns the unsubscribe. */
  on<E extends keyof Events & string>(event: E, listener: Events[E], once = false): () => void {
    const registration: Registration = {
      event,
      listener,
      guarded: (...args) => {
        // Removed since the emit began (by a listener before this one; for once, also by a nested
        // emit that called it already): skipped, as DOM dispatch skips a removed listener.
        if (!(once ? this.#remove(registration) : this.#registrations.includes(registration))) return;
        // A function, or an object with `handleEvent` (an EventTarget listener, ListenerRegistry's).
        const callable = listener as unknown as
          | ((...rest: unknown[]) => void)
          | { handleEvent(...rest: unknown[]): void };
        invokeSafely(() => (typeof callable === 'function' ? callable(...args) : callable.handleEvent(...args)));
      },
    };
    this.#registrations.push(registration);
    return () => this.#remove(registration);
  }

  /** Removes one subscription of `listener` to `event`. */
  off<E extends keyof Events & string>(event: E, listener: Events[E]): void {
    const registration = this.#find(event, listener);
    if (registration) this.#remove(registration);
  }

  /** Whether `listener` is subscribed to `event`. */
  has(event: string, listener: unknown): boolean {
    return this.#find(event, listener) !== undefined;
  }

  emit<E extends keyof Events & string>(event: E, ...args: Parameters<Events[E]>): void {
    for (const registration of this.#of(event)) registration.guarded(...args);
  }

  /** Subscriptions to `event`, or to every event. */
  count(event?: keyof Events & string): number {
    return (event === undefined ? this.#registrations : this.#of(event)).length;
  }

  #find(event: string, listener: unknown): Registration | undefined {
    return this.#registrations.find((entry) => entry.event === event && entry.listener === listener);
  }

  /** The subscriptions to `event` now, as a copy a listener's changes leave alone. */
  #of(event: string): Registration[] {
    return this.#registrations.filter((entry) => entry.event === event);
  }

  /** Removes `registration`; whether it was still there. */
  #remove(registration: Registration): boolean {
    const index = this.#registrations.indexOf(registration);
    if (index !== -1) this.#registrations.splice(index, 1);
    return index !== -1;
  }
}
