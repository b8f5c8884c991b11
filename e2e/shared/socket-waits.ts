// Waiting on a SturdySocket in the Deno and Bun suites (vitest and Playwright have their own):
// written once, loaded as it is by `deno test` and `bun test`. Type-only import: nothing runs
// from 'sturdysocket' here.
import type { SturdySocket, SturdySocketEvents } from 'sturdysocket';

/** The next `type` event's payload. */
export function nextEvent<T = unknown>(socket: SturdySocket, type: keyof SturdySocketEvents<unknown>): Promise<T> {
  return new Promise((resolve) => {
    const off = socket.on(type, ((value: T) => {
      off();
      resolve(value);
    }) as never);
  });
}

/** Polls `condition` every 10 ms; rejects naming `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Closes for good and waits until nothing is left open. */
export async function closeForGood(socket: SturdySocket): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    if (socket.state === 'closed') resolve();
    const off = socket.on('state', ({ to }) => {
      if (to !== 'closed') return;
      off();
      resolve();
    });
  });
  socket.close();
  await closed;
}

/** Deep equality by JSON, for the Deno suites (which have no `expect`). */
export function assertEquals(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
