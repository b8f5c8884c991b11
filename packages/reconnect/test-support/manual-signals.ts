import type { LifecycleSignal, LifecycleSignals } from '@sturdysocket/core';

/** A lifecycle signal source the test fires by hand, as the browser adapter's would fire. */
export interface ManualSignals extends LifecycleSignals {
  /** Calls every subscribed listener with `signal`. */
  fire(signal: LifecycleSignal): void;
  /** How many listeners are subscribed: 0 once the loop has let go. */
  readonly subscribers: number;
}

/** Makes a `ManualSignals`; `online` is the initial connectivity the loop reads. */
export function manualSignals(online?: boolean): ManualSignals {
  const listeners = new Set<(signal: LifecycleSignal) => void>();
  return {
    online,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fire(signal) {
      for (const listener of [...listeners]) listener(signal);
    },
    get subscribers() {
      return listeners.size;
    },
  };
}
