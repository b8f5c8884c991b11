/**
 * A change in the page's or worker's life that matters to a reconnecting socket:
 * - `online` / `offline`: the network came back or went away (`navigator.onLine` changed).
 * - `visible` / `hidden`: the page was shown or hidden (`visibilitychange`); hidden tabs have
 *   their timers throttled.
 * - `pagehide`: the page is being left, for good or into the back-forward cache.
 * - `pageshow`: the page came back from the back-forward cache (only then: the first load's
 *   `pageshow` carries no news and is not reported).
 * - `freeze` / `resume`: the page was frozen (no tasks run) or thawed (Page Lifecycle API).
 */
export type LifecycleSignal =
  | 'online'
  | 'offline'
  | 'visible'
  | 'hidden'
  | 'pageshow'
  | 'pagehide'
  | 'freeze'
  | 'resume';

/** The lifecycle signals of one environment, as the reconnect layer consumes them. */
export interface LifecycleSignals {
  /**
   * Calls `listener` with every signal from now on. Returns an unsubscribe function (safe to call
   * twice). The platform's event listeners are attached only while someone is subscribed.
   */
  subscribe(listener: (signal: LifecycleSignal) => void): () => void;
  /** Whether the environment believes it is online now; `undefined` where it cannot tell. */
  readonly online?: boolean | undefined;
}

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
   * @default globalThis, when it has `addEventListener`
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

function isEventTarget(value: unknown): value is LifecycleEventTarget {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LifecycleEventTarget).addEventListener === 'function' &&
    typeof (value as LifecycleEventTarget).removeEventListener === 'function'
  );
}

/** Rethrows a listener's error without stopping the other listeners, as DOM event dispatch does. */
function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else
    setTimeout(() => {
      throw error;
    }, 0);
}

/**
 * The browser's lifecycle signals as one small object to hand to the reconnect layer. Works in a
 * page, a Worker (only `online`/`offline` exist there) and anywhere with no such events (it then
 * never signals); it never touches `window` or `document` unless they exist.
 */
export function createLifecycleSignals(options: BrowserLifecycleOptions = {}): LifecycleSignals {
  const scope = globalThis as { document?: unknown; navigator?: unknown };
  const global = options.global !== undefined ? options.global : isEventTarget(globalThis) ? globalThis : null;
  const document =
    options.document !== undefined
      ? options.document
      : isEventTarget(scope.document)
        ? (scope.document as LifecycleDocument)
        : null;
  const navigator =
    options.navigator !== undefined
      ? options.navigator
      : typeof scope.navigator === 'object' && scope.navigator !== null
        ? (scope.navigator as { onLine?: boolean })
        : null;

  const listeners = new Set<(signal: LifecycleSignal) => void>();
  const emit = (signal: LifecycleSignal): void => {
    for (const listener of [...listeners]) {
      try {
        listener(signal);
      } catch (error) {
        reportListenerError(error);
      }
    }
  };

  // One handler for every platform event: the event's type is the signal, but for two.
  const onEvent = (event: Event): void => {
    const type = event.type;
    // HTML §7.4.4 "pageshow": `persisted` is true only when the page came out of the bfcache.
    if (type === 'pageshow' && (event as { persisted?: boolean }).persisted !== true) return;
    if (type === 'visibilitychange') emit(document?.visibilityState === 'visible' ? 'visible' : 'hidden');
    else emit(type as LifecycleSignal);
  };
  const bindings: Array<[LifecycleEventTarget | null, string[]]> = [
    [global, ['online', 'offline', 'pagehide', 'pageshow']],
    [document, ['visibilitychange', 'freeze', 'resume']],
  ];
  const listen = (method: 'addEventListener' | 'removeEventListener'): void => {
    for (const [target, types] of bindings) for (const type of types) target?.[method](type, onEvent);
  };

  return {
    subscribe(listener) {
      const wrapped = (signal: LifecycleSignal): void => listener(signal);
      if (listeners.size === 0) listen('addEventListener');
      listeners.add(wrapped);
      return () => {
        if (!listeners.delete(wrapped)) return;
        if (listeners.size === 0) listen('removeEventListener');
      };
    },
    get online() {
      const onLine = navigator?.onLine;
      return typeof onLine === 'boolean' ? onLine : undefined;
    },
  };
}
