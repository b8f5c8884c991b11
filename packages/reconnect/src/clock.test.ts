import { describe, expect, it } from 'vitest';
import { fakeTransport } from '../test-support/fake-websocket.js';
import { systemClock } from './clock.js';
import { ReconnectLoop } from './reconnect-loop.js';

/** Real time passing, for what must not happen within it. */
const pause = (ms: number) => new Promise((resolve) => globalThis.setTimeout(resolve, ms));

describe('systemClock', () => {
  it('fires an ordinary delay', async () => {
    let fired = false;
    systemClock.setTimeout(() => {
      fired = true;
    }, 1);
    await pause(30);
    expect(fired).toBe(true);
  });

  it('does not fire a delay past the platform timer limit at once (Infinity fired after 1 ms)', async () => {
    const fired: number[] = [];
    const handles = [Number.POSITIVE_INFINITY, 2 ** 31, 30 * 24 * 3600 * 1000].map((delay) =>
      systemClock.setTimeout(() => fired.push(delay), delay),
    );
    await pause(30);
    for (const handle of handles) systemClock.clearTimeout(handle);
    expect(fired).toEqual([]);
  });

  it('connectionTimeoutMs: Infinity lets an attempt wait instead of timing it out as it starts', async () => {
    const transport = fakeTransport();
    const loop = new ReconnectLoop('ws://example.test/', undefined, {
      WebSocket: transport.WebSocket,
      connectionTimeoutMs: Number.POSITIVE_INFINITY,
    });
    const failures: string[] = [];
    loop.on('failure', ({ failure }) => failures.push(failure.kind));
    await pause(30);
    expect(failures).toEqual([]);
    expect(loop.state).toBe('connecting');
    transport.last().accept();
    expect(loop.state).toBe('open');
    loop.close();
  });
});
