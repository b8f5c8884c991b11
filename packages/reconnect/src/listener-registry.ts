import { invokeSafely } from '@sturdysocket/core';
import type { AddEventListenerOptionsLike, EventListenerLike } from './events.js';
import { GuardedEmitter } from './guarded-emitter.js';

/**
 * `addEventListener` / `removeEventListener` / `dispatchEvent` with EventTarget semantics (one
 * registration per listener, `once`, `signal`, listeners added during dispatch not called), built
 * on no platform `EventTarget` so it behaves the same everywhere. The listeners are kept and
 * called by a `GuardedEmitter` of their own, the one registry both event APIs share the code of.
 */
export class ListenerRegistry {
  readonly #listeners = new GuardedEmitter<Record<string, (event: never) => void>>();

  add(
    type: string,
    listener: EventListenerLike<never> | null | undefined,
    options?: AddEventListenerOptionsLike,
  ): void {
    if (listener === null || listener === undefined) return;
    const once = typeof options === 'object' && options.once === true;
    const signal = typeof options === 'object' ? options.signal : undefined;
    if (signal?.aborted || this.#listeners.has(type, listener)) return;
    this.#listeners.on(type, listener as (event: never) => void, once);
    signal?.addEventListener('abort', () => this.remove(type, listener), { once: true });
  }

  remove(type: string, listener: EventListenerLike<never> | null | undefined): void {
    if (listener) this.#listeners.off(type, listener as (event: never) => void);
  }

  count(type?: string): number {
    return this.#listeners.count(type);
  }

  dispatch(event: { readonly type: string }, handler: ((event: never) => void) | null | undefined): void {
    if (typeof handler === 'function') invokeSafely(() => (handler as (event: unknown) => void)(event));
    this.#listeners.emit(event.type, event as never);
  }
}
