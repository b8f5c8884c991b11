import { invokeSafely, type LifecycleSignal, type LifecycleSignals } from '@sturdysocket/core';

/** The part of `EventTarget` this module uses. */
export interface LifecycleEventTarget {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

/** The part of `Document` this module uses. */
export interface LifecycleDocument extends LifecycleEventTarget {
  /** `'visible'` or `'hidden'` (also `'prerender'` in old engines, treated as hidden). */
  readonly visibilityState?: string;
}

/** Where the signals come from. Each source is found by feature detection unless given. */
export interface BrowserLifecycleOptions {
  /**
   * Receives `online`/`offline` and `pagehide`/`pageshow`: the `window` in a page, the worker's
   * global scope in a Worker (which has `online`/`offline` but no page events). `null` disables.
   * A source without `addEventListener` and `removeEventListener` is skipped.
   * @default globalThis (Node's, which has no `addEventListener`, is skipped)
   */
  global?: LifecycleEventTarget | null | undefined;
  /**
   * Receives `visibilitychange`, `freeze` and `resume`. `null` disables (as in a Worker, which has
   * no document).
   * @default globalThis.document, when present
   */
  document?: LifecycleDocument | null | undefined;
  /**
   * Answers `LifecycleSignals.online` from its `onLine`. `null` makes `online` `undefined`.
   * @default globalThis.navigator, when present (a Worker has one too)
   */
  navigator?: { readonly onLine?: boolean } | null | undefined;
}

/** The platform events each source dispatches; the event's type is the signal, but for two. */
const GLOBAL_EVENTS = ['online', 'offline', 'pagehide', 'pageshow'];
const DOCUMENT_EVENTS = ['visibilitychange', 'freeze', 'resume'];

function isEventTarget(value: unknown): value is LifecycleEventTarget {
  const target = value as Partial<LifecycleEventTarget> | null | undefined;
  return typeof target?.addEventListener === 'function' && typeof target.removeEventListener === 'function';
}

/**
 * The browser's lifecycle signals as one small object to hand to the reconnect layer. Works in a
 * page, a Worker (only `online`/`offline` exist there) and anywhere with no such events (it then
 * never signals); it never touches `window` or `document` unless they exist.
 */
export function createLifecycleSignals({
  global = globalThis as LifecycleEventTarget,
  document = (globalThis as { document?: LifecycleDocument }).document,
  navigator = (globalThis as { navigator?: { readonly onLine?: boolean } }).navigator,
}: BrowserLifecycleOptions = {}): LifecycleSignals {
  const listeners = new Set<(signal: LifecycleSignal) => void>();

  const onEvent = (event: Event): void => {
    let signal = event.type;
    // HTML §7.4.4 "pageshow": `persisted` is true only when the page came out of the bfcache.
    if (signal === 'pageshow' && (event as { persisted?: boolean }).persisted !== true) return;
    if (signal === 'visibilitychange') signal = document?.visibilityState === 'visible' ? 'visible' : 'hidden';
    // A listener that throws is reported, as DOM event dispatch does, and the others still run.
    for (const listener of [...listeners]) invokeSafely(() => listener(signal as LifecycleSignal));
  };
  // Sources without `addEventListener` (Node's global, a server-side stub document) are skipped.
  const listen = (method: 'addEventListener' | 'removeEventListener'): void => {
    for (const [target, types] of [
      [global, GLOBAL_EVENTS],
      [document, DOCUMENT_EVENTS],
    ] as const) {
      if (isEventTarget(target)) for (const type of types) target[method](type, onEvent);
    }
  };

  return {
    subscribe(listener) {
      // Wrapped, so that subscribing one function twice makes two subscriptions.
      const wrapped = (signal: LifecycleSignal): void => listener(signal);
      if (listeners.size === 0) listen('addEventListener');
      listeners.add(wrapped);
      return () => {
        if (listeners.delete(wrapped) && listeners.size === 0) listen('removeEventListener');
      };
    },
    get online() {
      const onLine = navigator?.onLine;
      return typeof onLine === 'boolean' ? onLine : undefined;
    },
  };
}
