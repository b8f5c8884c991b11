// The auth layer in Chromium, through the BUILT umbrella's `connect()` loaded into a page: the
// auth server (e2e/shared/auth-server.mjs) checks every credential itself and reports what crossed
// the wire, so each test asserts what the server saw. Mirrors e2e/node/auth-node.test.ts where a
// browser can do the same thing, and covers what only a browser must refuse.
import { expect, type Page, test } from '@playwright/test';
import type * as Sturdy from 'sturdysocket/browser';
// @ts-expect-error: a plain .mjs module without type declarations.
import { authControl, SUBPROTOCOL_TOKEN_PREFIX } from '../shared/auth-server.mjs';

const SECRET = 'tok-SECRET-b64-9d2e71';
/** How the subprotocol carrier spells SECRET on the wire. */
const SECRET_ENTRY = `${SUBPROTOCOL_TOKEN_PREFIX}${Buffer.from(SECRET).toString('base64url')}`;

interface Seen {
  attempts: number;
  open: number;
  messages: string[];
  pings: number;
  connections: Array<{
    headers: Record<string, string>;
    offered: string[];
    protocol: string;
    verdict: string;
    log: string[];
    closeCode: number | undefined;
    closedBy: 'client' | 'server' | undefined;
  }>;
}

interface Control {
  createSession(config: object): Promise<{ id: string; path: string }>;
  seen(id: string): Promise<Seen>;
}

/** What each test finds on `window.authKit` (installed by `installKit`, in the page). */
interface AuthKit {
  sturdy: typeof Sturdy;
  /** A new session on the auth server; its WebSocket URL. */
  session(config: object): Promise<{ id: string; url: string }>;
  seen(id: string): Promise<Seen>;
  configure(id: string, config: object): Promise<void>;
  closeConnections(id: string, code: number, reason: string): Promise<void>;
  waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
  nextEvent<T = unknown>(socket: Sturdy.SturdySocket, type: keyof Sturdy.SturdySocketEvents<unknown>): Promise<T>;
  /** Resolves when the loop has ended for good (state `closed`). */
  stopped(socket: Sturdy.SturdySocket): Promise<void>;
  /** Everything about a value, own non-enumerable properties and causes included, as text. */
  describe(value: unknown): string;
}

declare global {
  interface Window {
    authKit: AuthKit;
  }
}

/** Runs in the page: imports the served umbrella and installs the helpers the tests use. */
async function installKit(ports: { port: number; controlPort: number }): Promise<void> {
  const moduleUrl = '/sturdysocket.js';
  const sturdy = (await import(moduleUrl)) as typeof Sturdy;
  const control = `http://127.0.0.1:${ports.controlPort}`;
  // text/plain keeps these simple CORS requests: no preflight.
  const call = async (method: string, path: string, body?: object): Promise<unknown> => {
    const response = await fetch(`${control}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'text/plain' } }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return response.json();
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const describe = (value: unknown): string => {
    const seen = new Set<unknown>();
    const walk = (item: unknown, depth: number): unknown => {
      if (item === null || typeof item !== 'object') {
        return typeof item === 'function' ? `[function ${item.name}]` : item;
      }
      if (seen.has(item) || depth > 8) return '[seen]';
      seen.add(item);
      const out: Record<string, unknown> = { '[string]': String(item) };
      for (const key of Object.getOwnPropertyNames(item)) {
        try {
          out[key] = walk((item as Record<string, unknown>)[key], depth + 1);
        } catch (error) {
          out[key] = `[throws ${String(error)}]`;
        }
      }
      return out;
    };
    return JSON.stringify(walk(value, 0));
  };
  window.authKit = {
    sturdy,
    async session(config) {
      const { id, path } = (await call('POST', '/sessions', config)) as { id: string; path: string };
      return { id, url: `ws://127.0.0.1:${ports.port}${path}` };
    },
    seen: async (id) => (await call('GET', `/sessions/${id}`)) as Seen,
    async configure(id, config) {
      await call('POST', `/sessions/${id}/config`, config);
    },
    async closeConnections(id, code, reason) {
      await call('POST', `/sessions/${id}/close`, { code, reason });
    },
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
    describe,
  };
}

let control: Control;

test.beforeAll(() => {
  control = authControl(`http://127.0.0.1:${process.env.STURDY_E2E_AUTH_CONTROL_PORT}`) as Control;
});

test.beforeEach(async ({ page }) => {
  const origin = process.env.STURDY_E2E_ORIGIN;
  if (origin === undefined || process.env.STURDY_E2E_AUTH_PORT === undefined)
    throw new Error('global-setup did not run');
  await page.goto(`${origin}/`);
  await page.evaluate(installKit, {
    port: Number(process.env.STURDY_E2E_AUTH_PORT),
    controlPort: Number(process.env.STURDY_E2E_AUTH_CONTROL_PORT),
  });
});

async function newSession(page: Page, config: object): Promise<{ id: string; url: string }> {
  return page.evaluate((sessionConfig) => window.authKit.session(sessionConfig), config);
}

test.describe('auth carriers in Chromium (connect() from the built umbrella)', () => {
  test("carrier 'auto' is refused with carrier-unavailable, naming the choices, before any connection", async ({
    page,
  }) => {
    const { id, url } = await newSession(page, { check: 'subprotocol', tokens: [SECRET] });
    const outcome = await page.evaluate(
      ({ url, secret }) => {
        const { sturdy } = window.authKit;
        const attempts: Array<Record<string, unknown>> = [];
        for (const carrier of ['auto', 'header', undefined] as const) {
          try {
            sturdy.connect(url, {
              auth: sturdy.tokenAuth({ token: secret, ...(carrier === undefined ? {} : { carrier }) }),
            });
            attempts.push({ carrier, thrown: false });
          } catch (error) {
            const failure = error as InstanceType<typeof sturdy.AuthError>;
            attempts.push({
              carrier,
              isAuthError: error instanceof sturdy.AuthError,
              reason: failure.reason,
              message: failure.message,
            });
          }
        }
        return attempts;
      },
      { url, secret: SECRET },
    );
    for (const attempt of outcome) {
      expect(attempt).toMatchObject({ isAuthError: true, reason: 'carrier-unavailable' });
      for (const choice of ["'subprotocol'", "'message'", "'query'"]) expect(attempt.message).toContain(choice);
      expect(attempt.message).not.toContain(SECRET);
    }
    expect((await control.seen(id)).attempts).toBe(0);
  });

  test("carrier 'subprotocol': the token entry goes beside the real protocol, which the server echoes", async ({
    page,
  }) => {
    const { id, url } = await newSession(page, { check: 'subprotocol', tokens: [SECRET], protocols: ['chat'] });
    const outcome = await page.evaluate(
      async ({ url, secret }) => {
        const kit = window.authKit;
        const socket = kit.sturdy.connect(url, {
          protocols: ['chat'],
          auth: kit.sturdy.tokenAuth({ token: secret, carrier: 'subprotocol' }),
        });
        await kit.nextEvent(socket, 'open');
        const reply = kit.nextEvent(socket, 'message');
        socket.send('hello');
        const echoed = await reply;
        const protocol = socket.protocol;
        socket.close();
        await kit.stopped(socket);
        return { protocol, echoed };
      },
      { url, secret: SECRET },
    );
    expect(outcome).toEqual({ protocol: 'chat', echoed: 'echo:hello' });
    const seen = await control.seen(id);
    expect(seen.connections).toHaveLength(1);
    expect(seen.connections[0]).toMatchObject({
      offered: ['chat', SECRET_ENTRY],
      protocol: 'chat',
      verdict: 'accepted',
    });
    expect(seen.connections[0]?.headers.authorization).toBeUndefined();
    expect(seen.messages).toEqual(['hello']);
  });

  test('a server that echoes the token entry makes the client stop with token-echoed', async ({ page }) => {
    const { id, url } = await newSession(page, {
      check: 'subprotocol',
      tokens: [SECRET],
      protocols: ['chat'],
      echoToken: true,
    });
    const outcome = await page.evaluate(
      async ({ url, secret }) => {
        const kit = window.authKit;
        const socket = kit.sturdy.connect(url, {
          protocols: ['chat'],
          auth: kit.sturdy.tokenAuth({ token: secret, carrier: 'subprotocol' }),
          reconnect: { backoff: { initialDelayMs: 20, maxDelayMs: 50 } },
        });
        const errors: unknown[] = [];
        let opened = false;
        socket.on('error', (error) => errors.push(error));
        socket.on('open', () => {
          opened = true;
        });
        await kit.stopped(socket);
        const stop = errors.find((error) => error instanceof kit.sturdy.ReconnectStoppedError) as
          | InstanceType<typeof kit.sturdy.ReconnectStoppedError>
          | undefined;
        const cause = stop?.cause as InstanceType<typeof kit.sturdy.AuthError> | undefined;
        // A stopped loop must stay stopped: give a retry the time to show up at the server.
        await new Promise((resolve) => setTimeout(resolve, 300));
        return {
          opened,
          state: socket.state,
          causeIsAuthError: cause instanceof kit.sturdy.AuthError,
          reason: cause?.reason,
        };
      },
      { url, secret: SECRET },
    );
    expect(outcome).toEqual({ opened: false, state: 'closed', causeIsAuthError: true, reason: 'token-echoed' });
    const seen = await control.seen(id);
    expect(seen.attempts).toBe(1);
    expect(seen.connections[0]?.protocol).toBe(SECRET_ENTRY); // the server really did echo it
    expect(seen.connections[0]?.closedBy).toBe('client');
    expect(seen.messages).toEqual([]);
  });

  test("carrier 'message': what was sent before open is flushed after the ack, in order; the ack is consumed", async ({
    page,
  }) => {
    const { id, url } = await newSession(page, { check: 'message', tokens: [SECRET], ackDelayMs: 600 });
    const outcome = await page.evaluate(
      async ({ url, id, secret }) => {
        const kit = window.authKit;
        const socket = kit.sturdy.connect(url, {
          auth: kit.sturdy.tokenAuth({
            token: secret,
            carrier: 'message',
            message: { isAck: (data) => data === 'auth-ok', isNack: (data) => data === 'auth-denied' },
          }),
        });
        const received: unknown[] = [];
        socket.on('message', (data) => received.push(data));
        const statuses = ['one', 'two', 'three'].map((text) => socket.send(text));
        // The server holds the ack back for 600 ms: send once more while it is holding it.
        await kit.waitFor(
          async () => (await kit.seen(id)).connections[0]?.log.includes('auth') === true,
          'the server to receive the auth message',
        );
        const stateDuringAckWait = socket.state;
        statuses.push(socket.send('four'));
        await kit.waitFor(() => received.length >= 4, 'four echoes');
        await new Promise((resolve) => setTimeout(resolve, 100));
        socket.close();
        await kit.stopped(socket);
        return { statuses, stateDuringAckWait, received };
      },
      { url, id, secret: SECRET },
    );
    expect(outcome.statuses).toEqual(['queued', 'queued', 'queued', 'queued']);
    expect(outcome.stateDuringAckWait).toBe('connecting');
    expect(outcome.received).toEqual(['echo:one', 'echo:two', 'echo:three', 'echo:four']);
    const seen = await control.seen(id);
    expect(seen.connections).toHaveLength(1);
    // Anything flushed before the ack would be logged as `before-ack:…` or ahead of `ack`.
    expect(seen.connections[0]?.log).toEqual(['auth', 'ack', 'one', 'two', 'three', 'four']);
    expect(seen.messages).toEqual(['one', 'two', 'three', 'four']);
  });

  test('token expiry mid-session (close 4001): refresh, reconnect, queued messages arrive once each in order', async ({
    page,
  }) => {
    const { id, url } = await newSession(page, { check: 'subprotocol', tokens: ['first-token'], protocols: ['chat'] });
    const outcome = await page.evaluate(
      async ({ url, id }) => {
        const kit = window.authKit;
        const issued: string[] = [];
        const authEvents: string[] = [];
        const socket = kit.sturdy.connect(url, {
          protocols: ['chat'],
          auth: kit.sturdy.tokenAuth({
            token: () => {
              const token = issued.length === 0 ? 'first-token' : 'second-token';
              issued.push(token);
              return token;
            },
            carrier: 'subprotocol',
            onEvent: (event) => authEvents.push(event.type === 'token' ? 'token' : `${event.reason}:${event.action}`),
          }),
          // Only the immediate refresh can reconnect within the test.
          reconnect: { backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } },
        });
        const echoes: unknown[] = [];
        socket.on('message', (data) => echoes.push(data));
        await kit.nextEvent(socket, 'open');
        socket.send('before');
        await kit.waitFor(() => echoes.length === 1, 'the first echo');
        const closes: number[] = [];
        const queued: string[] = [];
        const reopened = new Promise<void>((resolve) => {
          const off = socket.on('close', ({ code }) => {
            off();
            closes.push(code);
            queued.push(socket.send('queued-1'), socket.send('queued-2'));
            kit.nextEvent(socket, 'open').then(() => resolve());
          });
        });
        // The server rotates the credentials and expires the session.
        await kit.configure(id, { tokens: ['second-token'] });
        await kit.closeConnections(id, 4001, 'token expired');
        await reopened;
        socket.send('after');
        await kit.waitFor(() => echoes.length === 4, 'four echoes');
        socket.close();
        await kit.stopped(socket);
        return { issued, authEvents, closes, queued, echoes };
      },
      { url, id },
    );
    expect(outcome.issued).toEqual(['first-token', 'second-token']);
    expect(outcome.authEvents).toEqual(['token', 'close-4001:refresh', 'token']);
    expect(outcome.closes).toEqual([4001]);
    expect(outcome.queued).toEqual(['queued', 'queued']);
    expect(outcome.echoes).toEqual(['echo:before', 'echo:queued-1', 'echo:queued-2', 'echo:after']);
    const seen = await control.seen(id);
    expect(seen.messages).toEqual(['before', 'queued-1', 'queued-2', 'after']);
    expect(seen.attempts).toBe(2);
    const entry = (token: string) => `${SUBPROTOCOL_TOKEN_PREFIX}${Buffer.from(token).toString('base64url')}`;
    expect(seen.connections.map(({ offered, verdict, closeCode }) => ({ offered, verdict, closeCode }))).toEqual([
      { offered: ['chat', entry('first-token')], verdict: 'accepted', closeCode: 4001 },
      { offered: ['chat', entry('second-token')], verdict: 'accepted', closeCode: 1000 },
    ]);
  });

  test('a fresh token refused twice in a row (close 4001 each time) stops the loop with AuthError rejected', async ({
    page,
  }) => {
    const { id, url } = await newSession(page, {
      check: 'subprotocol',
      tokens: ['token-1', 'token-2', 'token-3'],
      protocols: ['chat'],
      closeOnOpen: { code: 4001, reason: 'token expired' },
    });
    const outcome = await page.evaluate(
      async ({ url }) => {
        const kit = window.authKit;
        let calls = 0;
        const socket = kit.sturdy.connect(url, {
          protocols: ['chat'],
          auth: kit.sturdy.tokenAuth({ token: () => `token-${++calls}`, carrier: 'subprotocol' }),
          reconnect: { backoff: { initialDelayMs: 20, maxDelayMs: 50 } },
        });
        const errors: unknown[] = [];
        socket.on('error', (error) => errors.push(error));
        await kit.stopped(socket);
        await new Promise((resolve) => setTimeout(resolve, 200)); // a third attempt would show up by now
        const stop = errors.find((error) => error instanceof kit.sturdy.ReconnectStoppedError) as
          | InstanceType<typeof kit.sturdy.ReconnectStoppedError>
          | undefined;
        const cause = stop?.cause as InstanceType<typeof kit.sturdy.AuthError> | undefined;
        return { calls, causeIsAuthError: cause instanceof kit.sturdy.AuthError, reason: cause?.reason };
      },
      { url },
    );
    expect(outcome).toEqual({ calls: 2, causeIsAuthError: true, reason: 'rejected' });
    const seen = await control.seen(id);
    expect(seen.attempts).toBe(2);
    expect(seen.connections.map(({ offered }) => offered[1])).toEqual(
      ['token-1', 'token-2'].map((token) => `${SUBPROTOCOL_TOKEN_PREFIX}${Buffer.from(token).toString('base64url')}`),
    );
  });
});

test('no auth failure lets the token reach an error, an event, the console or the page', async ({ page }) => {
  const fromPage: string[] = [];
  page.on('console', (message) => fromPage.push(message.text()));
  page.on('pageerror', (error) => fromPage.push(`${error.name}: ${error.message}\n${error.stack ?? ''}`));
  const refusing = await newSession(page, { check: 'subprotocol', tokens: ['someone-else'], protocols: ['chat'] });
  const echoing = await newSession(page, {
    check: 'subprotocol',
    tokens: [SECRET],
    protocols: ['chat'],
    echoToken: true,
  });
  const nacking = await newSession(page, { check: 'message', tokens: ['someone-else'] });
  const silent = await newSession(page, { check: 'message', tokens: [SECRET], ackDelayMs: 30_000 });
  const outcome = await page.evaluate(
    async ({ urls, secret }) => {
      const kit = window.authKit;
      const collected: unknown[] = [];
      const record = (value: unknown): void => {
        collected.push(value);
      };
      window.addEventListener('error', (event) => record([event.message, event.error]));
      window.addEventListener('unhandledrejection', (event) => record(event.reason));
      for (const carrier of ['auto', 'header'] as const) {
        try {
          kit.sturdy.connect(urls.refusing, {
            auth: kit.sturdy.tokenAuth({ token: secret, carrier, onEvent: record }),
          });
        } catch (error) {
          record(error);
        }
      }
      const fast = { backoff: { initialDelayMs: 10, maxDelayMs: 30 }, connectionTimeoutMs: 3_000 };
      let issued = 0;
      const sockets = [
        kit.sturdy.connect(urls.refusing, {
          protocols: ['chat'],
          auth: kit.sturdy.tokenAuth({ token: secret, carrier: 'subprotocol', onEvent: record }),
          reconnect: { ...fast, retry: { maxRetries: 2 } },
        }),
        kit.sturdy.connect(urls.echoing, {
          protocols: ['chat'],
          auth: kit.sturdy.tokenAuth({ token: secret, carrier: 'subprotocol', onEvent: record }),
          reconnect: fast,
        }),
        kit.sturdy.connect(urls.nacking, {
          auth: kit.sturdy.tokenAuth({
            token: () => `${secret}-${++issued}`,
            carrier: 'message',
            message: { isAck: (data) => data === 'auth-ok', isNack: (data) => data === 'auth-denied' },
            onEvent: record,
          }),
          reconnect: fast,
        }),
        kit.sturdy.connect(urls.silent, {
          auth: kit.sturdy.tokenAuth({
            token: secret,
            carrier: 'message',
            message: { isAck: (data) => data === 'auth-ok', timeoutMs: 200 },
            onEvent: record,
          }),
          reconnect: { ...fast, retry: { maxRetries: 1 } },
        }),
      ];
      const types = ['connecting', 'open', 'message', 'close', 'reconnecting', 'error', 'state', 'failure', 'drop'];
      for (const socket of sockets) {
        for (const type of types) socket.on(type as 'error', record);
        socket.send('queued while authenticating');
      }
      await Promise.all(sockets.map((socket) => kit.stopped(socket)));
      for (const socket of sockets) record({ url: socket.url, protocol: socket.protocol, state: socket.state });
      const text = collected.map((value) => `${kit.describe(value)}\n${String(value)}`).join('\n');
      const reasons = collected
        .filter((value): value is InstanceType<typeof kit.sturdy.ReconnectStoppedError> => {
          return value instanceof kit.sturdy.ReconnectStoppedError;
        })
        .map((error) => (error.cause as { reason?: string } | undefined)?.reason ?? error.stopReason);
      return { count: collected.length, text, reasons };
    },
    {
      urls: { refusing: refusing.url, echoing: echoing.url, nacking: nacking.url, silent: silent.url },
      secret: SECRET,
    },
  );
  // Every path failed as intended, so there was something to leak.
  expect(outcome.reasons.sort()).toEqual(['max-retries', 'max-retries', 'rejected', 'token-echoed']);
  expect(outcome.text).toContain('carrier-unavailable');
  expect(outcome.text).toContain('ack-timeout');
  expect(outcome.count).toBeGreaterThan(40);
  // And the server did receive the token each way, so the page had it to leak.
  expect((await control.seen(refusing.id)).connections[0]?.offered).toContain(SECRET_ENTRY);
  expect((await control.seen(echoing.id)).connections[0]?.protocol).toBe(SECRET_ENTRY);
  expect((await control.seen(nacking.id)).connections.map((connection) => connection.log[0])).toEqual([
    'auth-refused',
    'auth-refused',
  ]);
  const everything = [outcome.text, ...fromPage].join('\n');
  for (const form of [SECRET, Buffer.from(SECRET).toString('base64url'), Buffer.from(SECRET).toString('base64')]) {
    expect(everything).not.toContain(form);
  }
});
