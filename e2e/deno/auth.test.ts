// The auth layer on Deno, through the BUILT umbrella's `connect()` (`sturdysocket` resolves by its
// `deno` condition to dist/runtime/deno.js: build the packages first). The auth server
// (e2e/shared/auth-server.mjs, `ws` under Node) checks every credential and reports what it saw.
// Run: pnpm exec deno test --allow-net=127.0.0.1,localhost --allow-read --allow-run --allow-env e2e/deno/
import { AuthError, type AuthOptions, connect, ReconnectStoppedError, tokenAuth } from 'sturdysocket';
import { assertEquals, closeForGood, nextEvent, waitFor } from '../shared/socket-waits.ts';
import { call, newSession, sessionSeen } from './auth-server.ts';

const SECRET = 'tok-SECRET-deno-5c81aa';

interface Seen {
  attempts: number;
  messages: string[];
  connections: Array<{ headers: Record<string, string>; verdict: string; closeCode: number | undefined }>;
}

/** What the session saw, once its connections have finished closing. */
const seen = (id: string) => sessionSeen<Seen>(id);

Deno.test("carrier 'auto' is the header on Deno: the server saw Authorization: Bearer and the custom header", async () => {
  const { id, url } = await newSession({ check: 'header', tokens: [SECRET] });
  const carriers: string[] = [];
  const auth: AuthOptions = {
    token: SECRET,
    onEvent: (event) => {
      if (event.type === 'token') carriers.push(event.carrier);
    },
  };
  const socket = connect(url, { auth: tokenAuth(auth), headers: { 'X-Client': 'deno-e2e' } });
  await nextEvent(socket, 'open');
  const reply = nextEvent(socket, 'message');
  socket.send('hello');
  assertEquals(await reply, 'echo:hello', 'the echo');
  await closeForGood(socket);
  assertEquals(carriers, ['header'], 'the carriers used');
  const { connections, messages } = await seen(id);
  assertEquals(connections.length, 1, 'connections');
  assertEquals(connections[0]?.headers.authorization, `Bearer ${SECRET}`, 'the Authorization header');
  assertEquals(connections[0]?.headers['x-client'], 'deno-e2e', 'the custom header');
  assertEquals(messages, ['hello'], 'what the server received');
});

Deno.test('a named header without a scheme', async () => {
  const { id, url } = await newSession({
    check: 'header',
    tokens: [SECRET],
    header: { name: 'x-api-key', scheme: '' },
  });
  const socket = connect(url, { auth: tokenAuth({ token: SECRET, header: { name: 'X-Api-Key', scheme: '' } }) });
  await nextEvent(socket, 'open');
  await closeForGood(socket);
  const { connections } = await seen(id);
  assertEquals(connections[0]?.headers['x-api-key'], SECRET, 'the X-Api-Key header');
  assertEquals(connections[0]?.headers.authorization, undefined, 'the Authorization header');
});

Deno.test('token expiry mid-session (close 4001): refresh, reconnect, queued messages arrive once each in order', async () => {
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
  await call('POST', `/sessions/${id}/config`, { tokens: ['second-token'] });
  await call('POST', `/sessions/${id}/close`, { code: 4001, reason: 'token expired' });
  await reopened;
  socket.send('after');
  await waitFor(() => echoes.length === 4, 'four echoes');
  await closeForGood(socket);
  assertEquals(issued, ['first-token', 'second-token'], 'the tokens issued');
  assertEquals(closes, [4001], 'the close codes');
  assertEquals(queued, ['queued', 'queued'], 'the send statuses during the outage');
  const record = await seen(id);
  assertEquals(record.messages, ['before', 'queued-1', 'queued-2', 'after'], 'what the server received');
  assertEquals(
    record.connections.map(({ headers, closeCode }) => [headers.authorization, closeCode]),
    [
      ['Bearer first-token', 4001],
      ['Bearer second-token', 1000],
    ],
    'the connections the server accepted',
  );
});

Deno.test('a fresh token refused twice in a row (close 4001 each time) stops the loop with AuthError rejected', async () => {
  const { id, url } = await newSession({
    check: 'header',
    tokens: ['token-1', 'token-2', 'token-3'],
    closeOnOpen: { code: 4001, reason: 'token expired' },
  });
  let calls = 0;
  const socket = connect(url, {
    auth: tokenAuth({ token: () => `token-${++calls}` }),
    reconnect: { backoff: { initialDelayMs: 20, maxDelayMs: 50 } },
  });
  const errors: unknown[] = [];
  socket.on('error', (error) => errors.push(error));
  await waitFor(() => socket.state === 'closed', 'the loop to stop');
  await new Promise((resolve) => setTimeout(resolve, 200)); // a third attempt would show up by now
  assertEquals(calls, 2, 'the tokens fetched');
  const stop = errors.find((error) => error instanceof ReconnectStoppedError) as ReconnectStoppedError | undefined;
  assertEquals(stop?.cause instanceof AuthError, true, 'an AuthError as the cause of the stop');
  assertEquals((stop?.cause as AuthError | undefined)?.reason, 'rejected', 'the reason');
  const { attempts, connections } = await seen(id);
  assertEquals(attempts, 2, 'the attempts the server saw');
  assertEquals(
    connections.map(({ headers }) => headers.authorization),
    ['Bearer token-1', 'Bearer token-2'],
    'the tokens the server saw',
  );
});

// Deno reports a refused upgrade's status only in its error's message ("Invalid status code:
// 401"); the adapter turns it into a HandshakeError with the status, so 401 refreshes and 403 stops.

Deno.test({
  name: 'HTTP 401 on the handshake: the token is refreshed and the client reconnects at once',
  async fn() {
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
    assertEquals(issued, ['old-token', 'new-token'], 'the tokens issued');
    const { connections } = await seen(id);
    assertEquals(
      connections.map(({ headers, verdict }) => [headers.authorization, verdict]),
      [
        ['Bearer old-token', 'http-401'],
        ['Bearer new-token', 'accepted'],
      ],
      'what the server saw',
    );
  },
});

Deno.test({
  name: 'HTTP 403 on the handshake stops the loop with AuthError forbidden',
  async fn() {
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
    assertEquals(stop?.cause instanceof AuthError, true, 'an AuthError as the cause of the stop');
    assertEquals((stop?.cause as AuthError | undefined)?.reason, 'forbidden', 'the reason');
    assertEquals((await seen(id)).attempts, 1, 'the attempts the server saw');
  },
});
