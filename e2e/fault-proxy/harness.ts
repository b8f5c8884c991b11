import v8 from 'node:v8';
import vm from 'node:vm';
import type { Clock, ReconnectEventMap, ReconnectingWebSocket } from '@sturdysocket/reconnect';

/** Resolves with the arguments of the next `event` of `socket`, or fails after `timeoutMs`. */
export function nextEvent<E extends keyof ReconnectEventMap>(
  socket: ReconnectingWebSocket,
  event: E,
  timeoutMs = 10_000,
): Promise<Parameters<ReconnectEventMap[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`No ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = socket.once(event, ((arg: Parameters<ReconnectEventMap[E]>[0]) => {
      clearTimeout(timer);
      resolve(arg);
    }) as ReconnectEventMap[E]);
  });
}

/** The system clock, counting the timers it has pending, so a test can see none are left behind. */
export function countingClock(): { clock: Clock; pending: () => number } {
  const live = new Set<NodeJS.Timeout>();
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout(callback, delayMs) {
      const handle = setTimeout(() => {
        live.delete(handle);
        callback();
      }, delayMs);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle as NodeJS.Timeout);
      clearTimeout(handle as NodeJS.Timeout);
    },
  };
  return { clock, pending: () => live.size };
}

let collect: (() => void) | undefined;

/** Runs a full garbage collection (V8's `gc`, exposed at run time). */
export function collectGarbage(): void {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  collect();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The spread of the middle half of `values` (third quartile minus first). */
export function interquartileRange(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return at(0.75) - at(0.25);
}
