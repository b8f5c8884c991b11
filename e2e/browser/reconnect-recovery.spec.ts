// The reconnect layer in Chromium, through the BUILT umbrella's `connect()` over the browser
// adapter, against the auth server (e2e/shared/auth-server.mjs), which reports what it saw: a
// server restart, a dead peer caught by the application heartbeat, a fatal close code, and
// `close()` while waiting. The same scenarios run on Deno in e2e/deno/reconnect.test.ts.
import { expect, test } from '@playwright/test';
import type * as Sturdy from 'sturdysocket/browser';
// @ts-expect-error: a plain .mjs module without type declarations.
import { authControl } from '../shared/auth-server.mjs';

interface Seen {
  attempts: number;
  open: number;
  messages: string[];
  pings: number;
  connections: Array<{ verdict: string; log: string[]; closeCode: number | undefined; closedBy: string | undefined }>;
}

interface Control {
  createSession(config: object): Promise<{ id: string; path: string }>;
  seen(id: string): Promise<Seen>;
}

/** What each test finds on `window.reconnectKit` (installed by `installKit`, in the page). */
interface ReconnectKit {
  sturdy: typeof Sturdy;
  restart(downMs: number): Promise<void>;
  deafen(id: string): Promise<void>;
  seen(id: string): Promise<Seen>;
  waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
  nextEvent<T = unknown>(socket: Sturdy.SturdySocket, type: keyof Sturdy.SturdySocketEvents<unknown>): Promise<T>;
  stopped(socket: Sturdy.SturdySocket): Promise<void>;
  sleep(ms: number): Promise<void>;
}

declare global {
  interface Window {
    reconnectKit: ReconnectKit;
  }
}

/** Runs in the page: imports the served umbrella and installs the helpers the tests use. */
async function installKit(controlPort: number): Promise<void> {
  const moduleUrl = '/sturdysocket.js';
  const sturdy = (await import(moduleUrl)) as typeof Sturdy;
  const call = async (method: string, path: string, body?: object): Promise<unknown> => {
    const response = await fetch(`http://127.0.0.1:${controlPort}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'text/plain' } }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return response.json();
  };
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  window.reconnectKit = {
    sturdy,
    async restart(downMs) {
      await call('POST', '/restart', { downMs });
    },
    async deafen(id) {
      await call('POST', `/sessions/${id}/deafen`, {});
    },
    seen: async (id) => (await call('GET', `/sessions/${id}`)) as Seen,
    async waitFor(condition, what, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
        await sleep(20);
      }
    },
    nextEvent: (socket, type) =>
      new Promise((resolve) => {
        const off = socket.on(type, ((value: never) => {
          off();
          resolve(value);
        }) as never);
      }),
    stopped: (socket) =>
      socket.state === 'closed'
        ? Promise.resolve()
        : new Promise((resolve) => {
            const off = socket.on('state', ({ to }) => {
              if (to !== 'closed') return;
              off();
              resolve();
            });
          }),
    sleep,
  };
}

let control: Control;
let wsBase: string;

test.beforeAll(() => {
  control = authControl(`http://127.0.0.1:${process.env.STURDY_E2E_AUTH_CONTROL_PORT}`) as Control;
  wsBase = `ws://127.0.0.1:${process.env.STURDY_E2E_AUTH_PORT}`;
});

test.beforeEach(async ({ page }) => {
  const origin = process.env.STURDY_E2E_ORIGIN;
  if (origin === undefined || process.env.STURDY_E2E_AUTH_PORT === undefined)
    throw new Error('global-setup did not run');
  await page.goto(`${origin}/`);
  await page.evaluate(installKit, Number(process.env.STURDY_E2E_AUTH_CONTROL_PORT));
});

async function newSession(config: object = {}): Promise<{ id: string; url: string }> {
  const { id, path } = await control.createSession(config);
  return { id, url: `${wsBase}${path}` };
}

test.describe('reconnect in Chromium (connect() from the built umbrella, browser adapter)', () => {
  test('a server restart: backoff through refused attempts, then every queued message once, in order', async ({
    page,
  }) => {
    const { id, url } = await newSession();
    const outcome = await page.evaluate(async (url: string) => {
      const kit = window.reconnectKit;
      const socket = kit.sturdy.connect(url, {
        reconnect: { backoff: { initialDelayMs: 100, maxDelayMs: 400 }, connectionTimeoutMs: 3_000 },
      });
      const echoes: unknown[] = [];
      const retries: Array<{ attempt: number; delayMs: number }> = [];
      socket.on('message', (data) => echoes.push(data));
      socket.on('reconnecting', ({ attempt, delayMs }) => retries.push({ attempt, delayMs }));
      await kit.nextEvent(socket, 'open');
      socket.send('m0');
      await kit.waitFor(() => echoes.length === 1, 'the first echo');
      const dropped = kit.nextEvent<{ code: number; willReconnect: boolean }>(socket, 'close');
      // Down for 800 ms: longer than the first three backoff delays (≤100, ≤200, ≤400) together.
      await kit.restart(800);
      const close = await dropped;
      const statuses = ['m1', 'm2', 'm3', 'm4', 'm5'].map((text) => socket.send(text));
      await kit.nextEvent(socket, 'open');
      await kit.waitFor(() => echoes.length === 6, 'six echoes', 8_000);
      await kit.sleep(100); // room for a duplicate to show up
      socket.close();
      await kit.stopped(socket);
      return { close, statuses, echoes, retries };
    }, url);
    expect(outcome.close.willReconnect).toBe(true);
    expect(outcome.statuses).toEqual(['queued', 'queued', 'queued', 'queued', 'queued']);
    expect(outcome.echoes).toEqual(['echo:m0', 'echo:m1', 'echo:m2', 'echo:m3', 'echo:m4', 'echo:m5']);
    // Consecutive failures back off: retry n waits at most min(400, 100·2^(n-1)) ms.
    expect(outcome.retries.length).toBeGreaterThanOrEqual(3);
    outcome.retries.forEach(({ attempt, delayMs }, index) => {
      expect(attempt).toBe(index + 1);
      expect(delayMs).toBeLessThanOrEqual(Math.min(400, 100 * 2 ** index));
    });
    const seen = await control.seen(id);
    expect(seen.messages).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(seen.connections.map(({ verdict }) => verdict)).toEqual(['accepted', 'accepted']);
    expect(seen.connections[0]?.closedBy).toBe('server');
  });

  test('a dead peer is caught by the application heartbeat, closed with 4000, and replaced', async ({ page }) => {
    const { id, url } = await newSession();
    const outcome = await page.evaluate(
      async ({ url, id }: { url: string; id: string }) => {
        const kit = window.reconnectKit;
        const socket = kit.sturdy.connect(url, {
          heartbeat: kit.sturdy.heartbeat({
            mode: 'application',
            intervalMs: 200,
            timeoutMs: 200,
            message: 'ping',
            isPong: (data) => data === 'pong',
          }),
          reconnect: { backoff: { initialDelayMs: 50, maxDelayMs: 100 } },
        });
        const messages: unknown[] = [];
        const failures: string[] = [];
        let pongs = 0;
        socket.on('message', (data) => messages.push(data));
        socket.on('failure', ({ failure }) => failures.push(failure.kind));
        socket.on('pong', () => {
          pongs++;
        });
        await kit.nextEvent(socket, 'open');
        // A live peer answers: pongs arrive and the connection stays.
        await kit.waitFor(() => pongs >= 2, 'two pongs');
        // The peer goes silent without closing: no pong, no echo, no close.
        const closed = kit.nextEvent<{ code: number; willReconnect: boolean }>(socket, 'close');
        await kit.deafen(id);
        const close = await closed;
        await kit.nextEvent(socket, 'open');
        socket.send('after');
        await kit.waitFor(() => messages.length === 1, 'an echo on the new connection');
        socket.close();
        await kit.stopped(socket);
        return { close: { code: close.code, willReconnect: close.willReconnect }, failures, messages };
      },
      { url, id },
    );
    expect(outcome.close).toEqual({ code: 4000, willReconnect: true });
    expect(outcome.failures).toEqual(['heartbeat-timeout']);
    expect(outcome.messages).toEqual(['echo:after']); // pongs are consumed
    const seen = await control.seen(id);
    expect(seen.connections).toHaveLength(2);
    // What the server saw: pings it ignored, then the client's close frame with code 4000.
    expect(seen.connections[0]?.log).toContain('ping-ignored');
    expect(seen.connections[0]).toMatchObject({ closeCode: 4000, closedBy: 'client' });
    expect(seen.messages).toEqual(['after']);
  });

  test('a fatal close code (1008) stops the loop: no further attempt reaches the server', async ({ page }) => {
    const { id, url } = await newSession({ closeOnOpen: { code: 1008, reason: 'policy violation' } });
    const outcome = await page.evaluate(async (url: string) => {
      const kit = window.reconnectKit;
      const socket = kit.sturdy.connect(url, { reconnect: { backoff: { initialDelayMs: 20, maxDelayMs: 20 } } });
      const errors: unknown[] = [];
      const closes: Array<{ code: number; willReconnect: boolean }> = [];
      socket.on('error', (error) => errors.push(error));
      socket.on('close', ({ code, willReconnect }) => closes.push({ code, willReconnect }));
      await kit.stopped(socket);
      await kit.sleep(300); // ten backoff periods
      const stop = errors.find((error) => error instanceof kit.sturdy.ReconnectStoppedError) as
        | InstanceType<typeof kit.sturdy.ReconnectStoppedError>
        | undefined;
      return { state: socket.state, closes, stopReason: stop?.stopReason };
    }, url);
    expect(outcome).toEqual({
      state: 'closed',
      closes: [{ code: 1008, willReconnect: false }],
      stopReason: 'classified',
    });
    const seen = await control.seen(id);
    expect(seen.attempts).toBe(1);
    expect(seen.connections[0]).toMatchObject({ closeCode: 1008, closedBy: 'server' });
  });

  test('close() while waiting ends the loop: no further attempt reaches the server', async ({ page }) => {
    const { id, url } = await newSession({ closeOnOpen: { code: 1011, reason: 'try again' } });
    const outcome = await page.evaluate(async (url: string) => {
      const kit = window.reconnectKit;
      const socket = kit.sturdy.connect(url, {
        reconnect: { backoff: { initialDelayMs: 150, maxDelayMs: 150, jitter: 'none' } },
      });
      const states: string[] = [];
      const closes: boolean[] = [];
      socket.on('state', ({ to }) => states.push(to));
      socket.on('close', ({ willReconnect }) => closes.push(willReconnect));
      await kit.waitFor(() => socket.state === 'waiting', 'the first wait');
      const stateBeforeClose = socket.state;
      socket.close();
      const stateAfterClose = socket.state;
      await kit.sleep(600); // four backoff periods
      return { stateBeforeClose, stateAfterClose, states, closes, finalState: socket.state };
    }, url);
    expect(outcome.stateBeforeClose).toBe('waiting');
    expect(outcome.stateAfterClose).toBe('closed');
    expect(outcome.finalState).toBe('closed');
    expect(outcome.states.at(-1)).toBe('closed');
    expect(outcome.states.filter((state) => state === 'connecting').length).toBeLessThanOrEqual(1);
    expect(outcome.closes.at(-1)).toBe(false);
    const seen = await control.seen(id);
    expect(seen.attempts).toBe(1);
    expect(seen.open).toBe(0);
  });
});
