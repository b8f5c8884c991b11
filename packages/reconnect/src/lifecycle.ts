/**
 * A change in the life of the page or worker that matters to a reconnecting socket:
 * - `online` / `offline`: the network came back or went away.
 * - `visible` / `hidden`: the page was shown or hidden (hidden tabs have their timers throttled).
 * - `pagehide` / `pageshow`: the page was left, or came back from the back-forward cache.
 * - `freeze` / `resume`: the page was frozen (no tasks run) or thawed.
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
 * The environment's lifecycle signals, injected through the `lifecycle` option (the browser
 * adapter provides one; server runtimes need none). The reconnect layer subscribes while its loop
 * runs and unsubscribes when it ends, so a closed socket holds no global listener.
 */
export interface LifecycleSignals {
  /** Calls `listener` with every signal from now on; returns an unsubscribe function. */
  subscribe(listener: (signal: LifecycleSignal) => void): () => void;
  /** Whether the environment believes it is online now; `undefined` where it cannot tell. */
  readonly online?: boolean | undefined;
}
