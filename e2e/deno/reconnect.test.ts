// The reconnect layer on Deno, through the BUILT umbrella's `connect()` over Deno's native
// WebSocket, against the auth server (e2e/shared/auth-server.mjs), which reports what it saw: a
// server restart, a dead peer caught by the application heartbeat, a fatal close code, and
// `close()` while waiting. The same scenarios run in Chromium in e2e/browser/reconnect-recovery.spec.ts.
// Deno's op and resource sanitizers (on by default) also fail a test that leaves a timer or a
// socket behind. Run: pnpm exec deno test --allow-net=127.0.0.1,localhost --allow-read --allow-run --allow-env e2e/deno/
import { connect, heartbeat, ReconnectStoppedError } from 'sturdysocket';
import { assertEquals, closeForGood, nextEvent, waitFor } from '../shared/socket-waits.ts';
import { call, newSession, sessionSeen } from './auth-server.ts';

interface Seen {
  attempts: number;
  open: number;
  messages: string[];
  connections: Array<{ verdict: string; log: string[]; closeCode: number | undefined; closedBy: string | undefined }>;
}

/** What the session saw, once its connections have finished closing. */
const seen = (id: string) => sessionSeen<Seen>(id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test('a server restart: backoff through refused attempts, then every queued message once, in order', async () => {
  const { id, url } = await newSession({});
  const socket = connect(url, {
    reconnect: { backoff: { initialDelayMs: 100, maxDelayMs: 400 }, connectionTimeoutMs: 3_000 },
  });
  const echoes: unknown[] = [];
  const retries: Array<{ attempt: number; delayMs: number }> = [];
  socket.on('message', (data) => echoes.push(data));
  socket.on('reconnecting', ({ attempt, delayMs }) => retries.push({ attempt, delayMs }));
  await nextEvent(socket, 'open');
  socket.send('m0');
  await waitFor(() => echoes.length === 1, 'the first echo');
  const dropped = nextEvent<{ willReconnect: boolean }>(socket, 'close');
  // Down for 800 ms: longer than the first three backoff delays (≤100, ≤200, ≤400) together.
  await call('POST', '/restart', { downMs: 800 });
  assertEquals((await dropped).willReconnect, true, 'willReconnect of the drop');
  const statuses = ['m1', 'm2', 'm3', 'm4', 'm5'].map((text) => socket.send(text));
  await nextEvent(socket, 'open');
  await waitFor(() => echoes.length === 6, 'six echoes', 8_000);
  await sleep(100); // room for a duplicate to show up
  await closeForGood(socket);
  assertEquals(statuses, ['queued', 'queued', 'queued', 'queued', 'queued'], 'the send statuses during the outage');
  assertEquals(echoes, ['echo:m0', 'echo:m1', 'echo:m2', 'echo:m3', 'echo:m4', 'echo:m5'], 'the echoes');
  if (retries.length < 3) throw new Error(`Expected at least three retries, got ${JSON.stringify(retries)}`);
  retries.forEach(({ attempt, delayMs }, index) => {
    // Consecutive failures back off: retry n waits at most min(400, 100·2^(n-1)) ms.
    if (attempt !== index + 1 || delayMs > Math.min(400, 100 * 2 ** index)) {
      throw new Error(`Retry ${index + 1} does not back off: ${JSON.stringify(retries)}`);
    }
  });
  const record = await seen(id);
  assertEquals(record.messages, ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'], 'what the server received');
  assertEquals(
    record.connections.map(({ verdict }) => verdict),
    ['accepted', 'accepted'],
    'the connections',
  );
});

Deno.test('a dead peer is caught by the application heartbeat, closed with 4000, and replaced', async () => {
  const { id, url } = await newSession({});
  const socket = connect(url, {
    heartbeat: heartbeat({
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
  await nextEvent(socket, 'open');
  // A live peer answers: pongs arrive and the connection stays.
  await waitFor(() => pongs >= 2, 'two pongs');
  // The peer goes silent without closing: no pong, no echo, no close.
  const closed = nextEvent<{ code: number; willReconnect: boolean }>(socket, 'close');
  await call('POST', `/sessions/${id}/deafen`, {});
  const close = await closed;
  await nextEvent(socket, 'open');
  socket.send('after');
  await waitFor(() => messages.length === 1, 'an echo on the new connection');
  await closeForGood(socket);
  assertEquals([close.code, close.willReconnect], [4000, true], 'the close of the dead connection');
  assertEquals(failures, ['heartbeat-timeout'], 'the failures');
  assertEquals(messages, ['echo:after'], 'the messages (pongs are consumed)');
  const record = await seen(id);
  assertEquals(record.connections.length, 2, 'the connections');
  if (!record.connections[0]?.log.includes('ping-ignored')) throw new Error('The server ignored no ping');
  // What the server saw: the client's close frame with code 4000.
  assertEquals(
    [record.connections[0]?.closeCode, record.connections[0]?.closedBy],
    [4000, 'client'],
    'how the dead connection ended at the server',
  );
  assertEquals(record.messages, ['after'], 'what the server received');
});

Deno.test('a fatal close code (1008) stops the loop: no further attempt reaches the server', async () => {
  const { id, url } = await newSession({ closeOnOpen: { code: 1008, reason: 'policy violation' } });
  const socket = connect(url, { reconnect: { backoff: { initialDelayMs: 20, maxDelayMs: 20 } } });
  const errors: unknown[] = [];
  const closes: Array<[number, boolean]> = [];
  socket.on('error', (error) => errors.push(error));
  socket.on('close', ({ code, willReconnect }) => closes.push([code, willReconnect]));
  await waitFor(() => socket.state === 'closed', 'the loop to stop');
  await sleep(300); // ten backoff periods
  assertEquals(closes, [[1008, false]], 'the closes');
  const stop = errors.find((error) => error instanceof ReconnectStoppedError) as ReconnectStoppedError | undefined;
  assertEquals(stop?.stopReason, 'classified', 'the stop reason');
  const record = await seen(id);
  assertEquals(record.attempts, 1, 'the attempts the server saw');
  assertEquals(
    [record.connections[0]?.closeCode, record.connections[0]?.closedBy],
    [1008, 'server'],
    'how the connection ended at the server',
  );
});

Deno.test('close() while waiting ends the loop and leaves nothing behind', async () => {
  const { id, url } = await newSession({ closeOnOpen: { code: 1011, reason: 'try again' } });
  const socket = connect(url, { reconnect: { backoff: { initialDelayMs: 150, maxDelayMs: 150, jitter: 'none' } } });
  const closes: boolean[] = [];
  socket.on('close', ({ willReconnect }) => closes.push(willReconnect));
  await waitFor(() => socket.state === 'waiting', 'the first wait');
  socket.close();
  assertEquals(socket.state, 'closed', 'the state right after close()');
  await sleep(600); // four backoff periods
  assertEquals(socket.state, 'closed', 'the state later');
  assertEquals(closes.at(-1), false, 'willReconnect of the last close');
  const record = await seen(id);
  assertEquals(record.attempts, 1, 'the attempts the server saw');
  assertEquals(record.open, 0, 'connections still open at the server');
  // The sanitizers then check that no timer or socket of this test is left.
});
