/**
 * Calls a user callback; an exception is reported as the platform reports an uncaught one (as DOM
 * event dispatch reports a listener's, HTML "report an exception") instead of unwinding into the
 * code that called, so one broken listener can neither wedge a state machine nor stop the
 * listeners after it.
 */
export function invokeSafely(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    reportUncaught(error);
  }
}

/**
 * Reports `error` as uncaught without throwing it here: through `reportError` where the platform
 * has it (browsers, Deno, Bun), else by rethrowing it from a microtask, which
 * reaches a page's `onerror` or Node's `uncaughtException` the same way.
 */
export function reportUncaught(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else
    queueMicrotask(() => {
      throw error;
    });
}
