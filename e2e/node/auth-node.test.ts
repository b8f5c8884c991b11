// @sturdysocket/auth against a real `ws` server, from Node through our own transport: the server
// checks every credential itself, so each test proves what actually crossed the wire.
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { AuthError, type AuthEvent, withAuth } from '@sturdysocket/auth';
import { ReconnectingWebSocket, ReconnectStoppedError } from '@sturdysocket/reconnect';
import { transport } from 'sturdysocket/node';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';

const SECRET = 'tok-SECRET-7f3a9c';

interface Server {
  url: string;
  wss: WebSocketServer;
  seen: string[];
  close(): Promise<void>;
}

const servers: Server[] = [];
const sockets: ReconnectingWebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const server of servers.splice(0)) await server.close();
});

/** A ws server whose `verify` decides on each upgrade: true, or an HTTP status to refuse with. */
async function startServer(
  verify: (request: IncomingMessage) => true | number,
  options: {
    handleProtocols?: (protocols: Set<string>) => string | false;
    /** Answers each connection's first message with this instead of echoing it. */
    answerFirstMessage?: (text: string) => string;
  } = {},
): Promise<Server> {
  const seen: string[] = [];
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    ...(options.handleProtocols ? { handleProtocols: options.handleProtocols } : {}),
    verifyClient: (info, done) => {
      const verdict = verify(info.req);
      if (verdict === true) done(true);
      else done(false, verdict);
    },
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (socket) => {
    let first = true;
    socket.on('message', (data, isBinary) => {
      const text = data.toString();
      seen.push(text);
      if (first && options.answerFirstMessage) socket.send(options.answerFirstMessage(text));
      else socket.send(isBinary ? data : `echo:${text}`);
      first = false;
    });
  });
  const server: Server = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    wss,
    seen,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
  servers.push(server);
  return server;
}

function open(url: string, options: Parameters<typeof withAuth>[0], protocols?: string[]): ReconnectingWebSocket {
  const socket = new ReconnectingWebSocket(url, protocols, withAuth(options));
  sockets.push(socket);
  return socket;
}

function nextEvent<T = unknown>(socket: ReconnectingWebSocket, type: string): Promise<T> {
  return new Promise((resolve) => {
    const off = socket.on(
      type as never,
      ((value: T) => {
        off();
        resolve(value);
      }) as never,
    );
  });
}

/** Resolves when the loop has ended for good (state `closed`), not at a `close` that retries. */
function stopped(socket: ReconnectingWebSocket): Promise<void> {
  if (socket.state === 'closed') return Promise.resolve();
  return new Promise((resolve) => {
    const off = socket.on('state', ((change: { to: string }) => {
      if (change.to !== 'closed') return;
      off();
      resolve();
    }) as never);
  });
}

function messages(socket: ReconnectingWebSocket, count: number): Promise<string[]> {
  const received: string[] = [];
  return new Promise((resolve) => {
    const off = socket.on('message', ((data: unknown) => {
      received.push(String(data));
      if (received.length === count) {
        off();
        resolve(received);
      }
    }) as never);
  });
}

const fastRetry = { backoff: { initialDelayMs: 10, maxDelayMs: 50 }, connectionTimeoutMs: 5_000 };

describe('auth over a real server (Node transport)', () => {
  it('header: Authorization: Bearer reaches the server', async () => {
    const server = await startServer((request) => (request.headers.authorization === `Bearer ${SECRET}` ? true : 401));
    const socket = open(server.url, { transport, auth: { token: SECRET }, ...fastRetry });
    await nextEvent(socket, 'open');
    const reply = messages(socket, 1);
    socket.send('hi');
    expect(await reply).toEqual(['echo:hi']);
  });

  it('header: a named header and no scheme', async () => {
    const server = await startServer((request) => (request.headers['x-api-key'] === SECRET ? true : 401));
    const socket = open(server.url, {
      transport,
      auth: { token: SECRET, header: { name: 'X-Api-Key', scheme: '' } },
      ...fastRetry,
    });
    await nextEvent(socket, 'open');
  });

  it('refreshes after HTTP 401 and reconnects at once with the new token', async () => {
    const server = await startServer((request) => (request.headers.authorization === 'Bearer new' ? true : 401));
    const tokens = ['old', 'new'];
    let calls = 0;
    const events: AuthEvent[] = [];
    const socket = open(server.url, {
      transport,
      auth: { token: () => tokens[calls++] ?? 'none', onEvent: (event) => events.push(event) },
      backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 }, // only an immediate refresh can pass
    });
    await nextEvent(socket, 'open');
    expect(calls).toBe(2);
    expect(events.map((event) => event.type)).toEqual(['token', 'auth-failure', 'token']);
  });

  it('stops with AuthError after a fresh token is refused twice in a row', async () => {
    const server = await startServer(() => 401);
    let calls = 0;
    const socket = open(server.url, { transport, auth: { token: () => `t${++calls}` }, ...fastRetry });
    const errors: unknown[] = [];
    socket.on('error', ((error: unknown) => errors.push(error)) as never);
    await stopped(socket);
    expect(calls).toBe(2);
    const stopError = errors.find((error) => error instanceof ReconnectStoppedError) as ReconnectStoppedError;
    expect(stopError.cause).toBeInstanceOf(AuthError);
    expect((stopError.cause as AuthError).reason).toBe('rejected');
    void server;
  });

  it('stops at once on HTTP 403', async () => {
    const server = await startServer(() => 403);
    let calls = 0;
    const socket = open(server.url, { transport, auth: { token: () => `t${++calls}` }, ...fastRetry });
    const errors: unknown[] = [];
    socket.on('error', ((error: unknown) => errors.push(error)) as never);
    await stopped(socket);
    expect(calls).toBe(1);
    const stopError = errors.find((error) => error instanceof ReconnectStoppedError) as ReconnectStoppedError;
    expect((stopError.cause as AuthError).reason).toBe('forbidden');
    void server;
  });

  it('token expiry mid-session (4001): refresh, resume, queued messages delivered once each in order', async () => {
    let valid = 'first';
    const server = await startServer((request) => (request.headers.authorization === `Bearer ${valid}` ? true : 401));
    let calls = 0;
    const socket = open(server.url, {
      transport,
      auth: { token: () => (calls++ === 0 ? 'first' : 'second') },
      ...fastRetry,
    });
    await nextEvent(socket, 'open');
    socket.send('before');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The server rotates the credentials and expires the session.
    valid = 'second';
    const reopened = new Promise<void>((resolve) => {
      const off = socket.on('close', (() => {
        off();
        socket.send('queued-1');
        socket.send('queued-2');
        nextEvent(socket, 'open').then(() => resolve());
      }) as never);
    });
    for (const client of server.wss.clients) client.close(4001, 'token expired');
    await reopened;
    socket.send('after');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.seen).toEqual(['before', 'queued-1', 'queued-2', 'after']);
    expect(calls).toBe(2);
  });

  it('subprotocol: the token as a base64url entry beside the real protocol, which the server echoes', async () => {
    const entry = `base64url.bearer.authorization.k8s.io.${Buffer.from(SECRET).toString('base64url')}`;
    const server = await startServer(() => true, {
      handleProtocols: (protocols) => (protocols.has(entry) && protocols.has('chat') ? 'chat' : false),
    });
    const socket = open(server.url, { transport, auth: { token: SECRET, carrier: 'subprotocol' }, ...fastRetry }, [
      'chat',
    ]);
    await nextEvent(socket, 'open');
    expect(socket.protocol).toBe('chat');
    // The Node transport shows its request headers (handshake, diagnostics): never the token entry.
    const handshake = (socket.transport as { handshake?: { requestHeaders: Array<[string, string]> } }).handshake;
    const offered = handshake?.requestHeaders.find(([name]) => name.toLowerCase() === 'sec-websocket-protocol');
    expect(offered?.[1]).toBe('chat, [redacted]');
    expect(inspect(handshake, { depth: 5 })).not.toContain(entry.slice(-12));
  });

  it('subprotocol: a server that echoes the token entry is refused', async () => {
    const server = await startServer(() => true, {
      handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith('base64url.')) ?? false,
    });
    const socket = open(server.url, { transport, auth: { token: SECRET, carrier: 'subprotocol' }, ...fastRetry });
    const errors: unknown[] = [];
    socket.on('error', ((error: unknown) => errors.push(error)) as never);
    await stopped(socket);
    const stopError = errors.find((error) => error instanceof ReconnectStoppedError) as ReconnectStoppedError;
    expect((stopError.cause as AuthError).reason).toBe('token-echoed');
  });

  it('message: the auth message goes first, the outbox waits for the ack', async () => {
    const server = await startServer(() => true, {
      answerFirstMessage: (text) => (JSON.parse(text).token === SECRET ? 'auth-ok' : 'auth-denied'),
    });
    const socket = open(server.url, {
      transport,
      auth: {
        token: SECRET,
        carrier: 'message',
        message: { isAck: (data) => data === 'auth-ok', isNack: (data) => data === 'auth-denied' },
      },
      ...fastRetry,
    });
    socket.send('queued-before-open');
    const received = messages(socket, 1);
    await nextEvent(socket, 'open');
    expect(await received).toEqual(['echo:queued-before-open']); // the ack itself was consumed
    expect(server.seen).toEqual([JSON.stringify({ type: 'auth', token: SECRET }), 'queued-before-open']);
  });

  it('message: a refusal counts as an auth failure: refresh once, then stop', async () => {
    const server = await startServer(() => true, { answerFirstMessage: () => 'auth-denied' });
    let calls = 0;
    const socket = open(server.url, {
      transport,
      auth: {
        token: () => `t${++calls}`,
        carrier: 'message',
        message: { isAck: (data) => data === 'auth-ok', isNack: (data) => data === 'auth-denied' },
      },
      ...fastRetry,
    });
    const errors: unknown[] = [];
    socket.on('error', ((error: unknown) => errors.push(error)) as never);
    await stopped(socket);
    expect(calls).toBe(2);
    const stopError = errors.find((error) => error instanceof ReconnectStoppedError) as ReconnectStoppedError;
    expect((stopError.cause as AuthError).reason).toBe('rejected');
  });

  it('message: onEvent names a refusal nack and an unanswered auth message ack-timeout (it said close-4002)', async () => {
    const messageAuth = (answer: string, events: AuthEvent[]) => ({
      transport,
      auth: {
        token: SECRET,
        carrier: 'message' as const,
        message: {
          isAck: (data: unknown) => data === 'auth-ok',
          isNack: (data: unknown) => data === answer,
          timeoutMs: 50,
        },
        onEvent: (event: AuthEvent) => events.push(event),
      },
      ...fastRetry,
    });
    const refusing = await startServer(() => true, { answerFirstMessage: () => 'auth-denied' });
    const refusals: AuthEvent[] = [];
    const refused = open(refusing.url, messageAuth('auth-denied', refusals));
    const errors: unknown[] = [];
    refused.on('error', ((error: unknown) => errors.push(error)) as never);
    await stopped(refused);
    expect(refusals.filter((event) => event.type === 'auth-failure')).toEqual([
      { type: 'auth-failure', attempt: 1, reason: 'nack', action: 'refresh' },
      { type: 'auth-failure', attempt: 2, reason: 'rejected', action: 'stop' },
    ]);
    const stopError = errors.find((error) => error instanceof ReconnectStoppedError) as ReconnectStoppedError;
    const rejected = stopError.cause as AuthError;
    expect(rejected.message).toContain('(nack)');
    expect((rejected.cause as Error).cause).toMatchObject({ reason: 'nack' });

    // This server echoes the auth message, which is neither an ack nor a nack.
    const silent = await startServer(() => true);
    const timeouts: AuthEvent[] = [];
    const waiting = open(silent.url, messageAuth('never', timeouts));
    const failed = nextEvent(waiting, 'failure');
    await failed;
    expect(timeouts.find((event) => event.type === 'auth-failure')).toEqual({
      type: 'auth-failure',
      attempt: 1,
      reason: 'ack-timeout',
      action: 'retry',
    });
  });

  it.each([
    ['message.timeoutMs', { timeoutMs: 50, connectionTimeoutMs: 5_000 }],
    ['connectionTimeoutMs, which ends the wait first', { timeoutMs: 5_000, connectionTimeoutMs: 200 }],
  ])(
    'message: a token the server leaves unanswered twice in a row is dropped (it was offered forever); timed out by %s',
    async (_, timeouts) => {
      const silent = await startServer(() => true); // echoes the auth message: neither ack nor nack
      let calls = 0;
      const events: AuthEvent[] = [];
      const thirdToken = new Promise<void>((resolve) => {
        const onEvent = (event: AuthEvent) => {
          events.push(event);
          if (events.filter((seen) => seen.type === 'token').length === 3) resolve();
        };
        open(silent.url, {
          transport,
          auth: {
            token: () => `t${++calls}`,
            carrier: 'message',
            message: { isAck: (data) => data === 'auth-ok', timeoutMs: timeouts.timeoutMs },
            onEvent,
          },
          ...fastRetry,
          connectionTimeoutMs: timeouts.connectionTimeoutMs,
        });
      });
      await thirdToken;
      expect(events.filter((event) => event.type === 'token').map((event) => event.fresh)).toEqual([true, false, true]);
      expect(events.filter((event) => event.type === 'auth-failure')).toEqual([
        { type: 'auth-failure', attempt: 1, reason: 'ack-timeout', action: 'retry' },
        { type: 'auth-failure', attempt: 2, reason: 'ack-timeout', action: 'retry' },
      ]);
      expect(calls).toBe(2);
    },
  );

  it('onEvent hears a failed provider as provider-failed, with the attempt that failed and its error (it heard nothing)', async () => {
    const server = await startServer((request) => (request.headers.authorization === `Bearer ${SECRET}` ? true : 401));
    const down = new Error('identity service down');
    const answers = [() => 'old', () => Promise.reject(down), () => SECRET];
    let calls = 0;
    const events: AuthEvent[] = [];
    const socket = open(server.url, {
      transport,
      auth: { token: () => answers[calls++]?.() ?? SECRET, onEvent: (event) => events.push(event) },
      ...fastRetry,
    });
    await nextEvent(socket, 'open');
    expect(events).toEqual([
      expect.objectContaining({ type: 'token', attempt: 1 }),
      { type: 'auth-failure', attempt: 1, reason: 'http-401', action: 'refresh' },
      { type: 'auth-failure', attempt: 2, reason: 'provider-failed', action: 'retry', error: expect.any(AuthError) },
      expect.objectContaining({ type: 'token', attempt: 3, fresh: true }),
    ]);
    expect((events[2] as { error: AuthError }).error.cause).toBe(down);
  });

  it('binds a token to its attempt: a slow answer for an abandoned attempt never reaches the server', async () => {
    const presented: string[] = [];
    const server = await startServer((request) => {
      presented.push(String(request.headers.authorization));
      return true;
    });
    const releases: Array<(token: string) => void> = [];
    const socket = open(server.url, {
      transport,
      auth: { token: () => new Promise<string>((resolve) => releases.push(resolve)) },
      ...fastRetry,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(releases).toHaveLength(1); // attempt 1 is waiting on the provider
    socket.reconnect(); // abandons attempt 1
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(releases).toHaveLength(2);
    releases[1]?.('fresh');
    await nextEvent(socket, 'open');
    releases[0]?.('late'); // the abandoned attempt's answer arrives last
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(presented).toEqual(['Bearer fresh']);
  });

  it('refuses ws: to a non-loopback host before any connection is made', async () => {
    const socket = open('ws://sturdysocket.invalid/', {
      transport,
      auth: { token: SECRET },
      ...fastRetry,
      retry: { maxRetries: 0 },
    });
    const errors: unknown[] = [];
    socket.on('error', ((error: unknown) => errors.push(error)) as never);
    await stopped(socket);
    const stopError = errors.find((error) => error instanceof ReconnectStoppedError) as ReconnectStoppedError;
    expect(stopError.cause).toBeInstanceOf(AuthError);
    expect((stopError.cause as AuthError).reason).toBe('insecure-transport');
  });

  it('never lets the token appear in an error message or an emitted event', async () => {
    // Every failure path at once: 401s, a refused second token, a provider failure, the ack timeout.
    const server = await startServer((request) => (request.headers.authorization?.includes('good') ? true : 401));
    const seen: unknown[] = [];
    const record = (value: unknown) => seen.push(value);
    const paths = [
      open(server.url, { transport, auth: { token: `${SECRET}-bad`, onEvent: record }, ...fastRetry }),
      open(server.url, {
        transport,
        auth: {
          token: () => {
            throw new Error('backend down');
          },
          onEvent: record,
        },
        ...fastRetry,
        retry: { maxRetries: 1 },
      }),
      open(server.url.replace('127.0.0.1', 'sturdysocket.invalid').replace('ws:', 'ws:'), {
        transport,
        auth: { token: SECRET, onEvent: record },
        ...fastRetry,
        retry: { maxRetries: 0 },
      }),
    ];
    for (const socket of paths) {
      for (const type of ['error', 'close', 'failure', 'reconnecting', 'drop', 'state', 'connecting'])
        socket.on(type as never, record as never);
    }
    await Promise.all(paths.map((socket) => stopped(socket)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.length).toBeGreaterThan(5);
    const text = seen.map((value) => inspect(value, { depth: 10, showHidden: true, getters: true })).join('\n');
    expect(text).not.toContain(SECRET);
  });
});
