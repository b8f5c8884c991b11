// The auth layer on Bun, through the BUILT umbrella's `connect()` (`sturdysocket` resolves by its
// `bun` condition to dist/runtime/deno.js: build the packages first). The auth server
// (e2e/shared/auth-server.mjs) runs under Node and reports what crossed the wire.
// Run: .tools/bun/node_modules/.bin/bun test ./e2e/bun/
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { AuthError, type AuthOptions, connect, ReconnectStoppedError, tokenAuth } from 'sturdysocket';
import { authControl } from '../shared/auth-server.mjs';
import { closeForGood, nextEvent, waitFor } from '../shared/socket-waits.ts';

const SECRET = 'tok-SECRET-bun-0e4b19';

interface Seen {
  attempts: number;
  messages: string[];
  connections: Array<{ headers: Record<string, string>; verdict: string; closeCode: number | undefined }>;
}

// The server runs under Node: inside Bun, `ws` would be replaced by Bun's own implementation.
const server = spawn(
  'node',
  [fileURLToPath(new URL('../shared/auth-server.mjs', import.meta.url)), '--exit-with-stdin'],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
let port = 0;
let control: ReturnType<typeof authControl>;

beforeAll(async () => {
  let buffered = '';
  while (!buffered.includes('\n')) {
    const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
    buffered += chunk.toString('utf8');
  }
  const ports = JSON.parse(buffered.slice(0, buffered.indexOf('\n'))) as { port: number; controlPort: number };
  port = ports.port;
  control = authControl(`http://127.0.0.1:${ports.controlPort}`);
});

afterAll(() => {
  server.kill('SIGTERM');
});

async function newSession(config: object): Promise<{ id: string; url: string }> {
  const { id, path } = (await control.createSession(config)) as { id: string; path: string };
  return { id, url: `ws://127.0.0.1:${port}${path}` };
}

const seen = async (id: string) => (await control.seen(id)) as Seen;

test("carrier 'auto' is the header on Bun: the server saw Authorization: Bearer and the custom header", async () => {
  const { id, url } = await newSession({ check: 'header', tokens: [SECRET] });
  const carriers: string[] = [];
  const auth: AuthOptions = {
    token: SECRET,
    onEvent: (event) => {
      if (event.type === 'token') carriers.push(event.carrier);
    },
  };
  const socket = connect(url, { auth: tokenAuth(auth), headers: { 'X-Client': 'bun-e2e' } });
  await nextEvent(socket, 'open');
  const reply = nextEvent(socket, 'message');
  socket.send('hello');
  expect(await reply).toBe('echo:hello');
  await closeForGood(socket);
  expect(carriers).toEqual(['header']);
  const { connections, messages } = await seen(id);
  expect(connections).toHaveLength(1);
  expect(connections[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
  expect(connections[0]?.headers['x-client']).toBe('bun-e2e');
  expect(messages).toEqual(['hello']);
});

test('a named header without a scheme', async () => {
  const { id, url } = await newSession({
    check: 'header',
    tokens: [SECRET],
    header: { name: 'x-api-key', scheme: '' },
  });
  const socket = connect(url, { auth: tokenAuth({ token: SECRET, header: { name: 'X-Api-Key', scheme: '' } }) });
  await nextEvent(socket, 'open');
  await closeForGood(socket);
  const { connections } = await seen(id);
  expect(connections[0]?.headers['x-api-key']).toBe(SECRET);
  expect(connections[0]?.headers.authorization).toBeUndefined();
});

test('token expiry mid-session (close 4001): refresh, reconnect, queued messages arrive once each in order', async () => {
  const { id, url } = await newSession({ check: 'header', tokens: ['first-token'] });
  const issued: string[] = [];
  const socket = connect(url, {
    auth: tokenAuth({
      token: () => {
        const token = issued.length === 0 ? 'first-token' : 'second-token';
        issued.push(token);
        return token;
      },
    }),
    // Only the immediate refresh can reconnect within the test.
    reconnect: { backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } },
  });
  const echoes: unknown[] = [];
  socket.on('message', (data) => echoes.push(data));
  await nextEvent(socket, 'open');
  socket.send('before');
  await waitFor(() => echoes.length === 1, 'the first echo');
  const queued: string[] = [];
  const closes: number[] = [];
  const reopened = new Promise<void>((resolve) => {
    const off = socket.on('close', ({ code }) => {
      off();
      closes.push(code);
      queued.push(socket.send('queued-1'), socket.send('queued-2'));
      nextEvent(socket, 'open').then(() => resolve());
    });
  });
  // The server rotates the credentials and expires the session.
  await control.configure(id, { tokens: ['second-token'] });
  await control.closeConnections(id, 4001, 'token expired');
  await reopened;
  socket.send('after');
  await waitFor(() => echoes.length === 4, 'four echoes');
  await closeForGood(socket);
  expect(issued).toEqual(['first-token', 'second-token']);
  expect(closes).toEqual([4001]);
  expect(queued).toEqual(['queued', 'queued']);
  const record = await seen(id);
  expect(record.messages).toEqual(['before', 'queued-1', 'queued-2', 'after']);
  expect(record.connections.map(({ headers, closeCode }) => [headers.authorization, closeCode])).toEqual([
    ['Bearer first-token', 4001],
    ['Bearer second-token', 1000],
  ]);
});

// Bun reports a refused upgrade's status only in its error's message ("Expected 101 status code:
// 401"); the Deno adapter, which Bun's entry uses, turns it into a HandshakeError with the status.

test('HTTP 401 on the handshake: the token is refreshed and the client reconnects at once', async () => {
  const { id, url } = await newSession({ check: 'header', tokens: ['new-token'] });
  const issued: string[] = [];
  const socket = connect(url, {
    auth: tokenAuth({
      token: () => {
        const token = issued.length === 0 ? 'old-token' : 'new-token';
        issued.push(token);
        return token;
      },
    }),
    // Only the immediate refresh can reconnect within the test.
    reconnect: { backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } },
  });
  try {
    await waitFor(() => socket.state === 'open', 'the refreshed connection', 3_000);
  } finally {
    await closeForGood(socket);
  }
  expect(issued).toEqual(['old-token', 'new-token']);
  const { connections } = await seen(id);
  expect(connections.map(({ headers, verdict }) => [headers.authorization, verdict])).toEqual([
    ['Bearer old-token', 'http-401'],
    ['Bearer new-token', 'accepted'],
  ]);
}, 10_000);

test('HTTP 403 on the handshake stops the loop with AuthError forbidden', async () => {
  const { id, url } = await newSession({ check: 'header', tokens: ['someone-else'], refusalStatus: 403 });
  const socket = connect(url, {
    auth: tokenAuth({ token: SECRET }),
    reconnect: { backoff: { initialDelayMs: 20, maxDelayMs: 20 } },
  });
  const errors: unknown[] = [];
  socket.on('error', (error) => errors.push(error));
  try {
    await waitFor(() => socket.state === 'closed', 'the loop to stop', 3_000);
  } finally {
    await closeForGood(socket);
  }
  const stop = errors.find((error) => error instanceof ReconnectStoppedError) as ReconnectStoppedError | undefined;
  expect(stop?.cause).toBeInstanceOf(AuthError);
  expect((stop?.cause as AuthError | undefined)?.reason).toBe('forbidden');
  expect((await seen(id)).attempts).toBe(1);
}, 10_000);
