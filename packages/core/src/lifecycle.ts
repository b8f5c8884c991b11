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

/**
 * The lifecycle signals of one environment: the browser adapter makes them
 * (`createLifecycleSignals`), the reconnect layer takes them as its `lifecycle` option, and server
 * runtimes need none. The reconnect layer subscribes while its loop runs and unsubscribes when it
 * ends, so a closed socket holds no global listener.
 */
export interface LifecycleSignals {
  /**
   * Calls `listener` with every signal from now on. Returns an unsubscribe function (safe to call
   * twice). The platform's event listeners are attached only while someone is subscribed.
   */
  subscribe(listener: (signal: LifecycleSignal) => void): () => void;
  /** Whether the environment believes it is online now; `undefined` where it cannot tell. */
  readonly online?: boolean | undefined;
}
