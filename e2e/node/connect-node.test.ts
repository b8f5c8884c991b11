// connect() from the umbrella on Node: our transport, the reconnect layer, auth and a codec
// composed, against a real ws server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CodecError,
  type ConnectOptions,
  connect,
  heartbeat,
  IteratorOverflowError,
  jsonCodec,
  messages,
  ProtocolError,
  ReconnectingWebSocket,
  SturdySocket,
  tokenAuth,
} from 'sturdysocket/node';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as WsWebSocket } from 'ws';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function echoServer(onUpgrade?: (headers: Record<string, string | string[] | undefined>) => void) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (socket, request) => {
    onUpgrade?.(request.headers);
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  cleanups.push(() => new Promise((resolve) => wss.close(resolve)));
  for (const client of wss.clients) cleanups.push(() => client.terminate());
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/` };
}

describe('connect() on Node', () => {
  it('carries typed JSON values both ways, through for await', async () => {
    const { url } = await echoServer();
    const socket = connect<{ n: number }, { n: number }>(url, { codec: 'json' });
    cleanups.push(() => socket.close());
    expect(socket).toBeInstanceOf(SturdySocket);
    for (let n = 0; n < 5; n++) expect(['sent', 'queued']).toContain(socket.send({ n }));
    const received: number[] = [];
    for await (const message of messages(socket)) {
      received.push(message.n);
      if (received.length === 5) break;
    }
    expect(received).toEqual([0, 1, 2, 3, 4]);
  });

  it('ends a for-await loop that falls more than maxBuffered messages behind a flooding server', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    cleanups.push(() => new Promise((resolve) => wss.close(resolve)));
    // The server sends 500 messages at once; the loop takes one per 5 ms.
    wss.on('connection', (socket) => {
      for (let n = 0; n < 500; n++) socket.send(JSON.stringify({ n }));
    });
    const socket = connect<{ n: number }, { n: number }>(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`, {
      codec: 'json',
    });
    cleanups.push(() => socket.close());
    const received: number[] = [];
    const failure = await (async () => {
      for await (const message of messages(socket, { maxBuffered: 50 })) {
        received.push(message.n);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(IteratorOverflowError);
    // What it had taken and held arrived in order, and no more than the limit plus one waited.
    expect(received).toEqual(Array.from({ length: received.length }, (_, n) => n));
    expect(received.length).toBeLessThanOrEqual(52);
    expect(socket.raw.state).toBe('open');
  });

  it('sends headers and a token through our transport', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const { url } = await echoServer((headers) => seen.push(headers));
    const socket = connect(url, { headers: { 'X-Trace': 'abc' }, auth: tokenAuth({ token: 'secret-token' }) });
    cleanups.push(() => socket.close());
    await new Promise<void>((resolve) => socket.on('open', () => resolve()));
    expect(seen[0]?.authorization).toBe('Bearer secret-token');
    expect(seen[0]?.['x-trace']).toBe('abc');
  });

  it('refuses auth given as a plain options object, naming tokenAuth, before connecting', () => {
    // What connect() took before tokenAuth() existed.
    const plain = { token: 'secret-token' } as unknown as ConnectOptions['auth'];
    expect(() => connect('ws://127.0.0.1:9/', { auth: plain })).toThrow(TypeError);
    expect(() => connect('ws://127.0.0.1:9/', { auth: plain })).toThrow(/tokenAuth/);
  });

  it('refuses heartbeat options given in reconnect, naming heartbeat(), before connecting', () => {
    // What connect() took before heartbeat() existed.
    const plain = { heartbeat: { intervalMs: 1000 } } as unknown as ConnectOptions['reconnect'];
    expect(() => connect('ws://127.0.0.1:9/', { reconnect: plain })).toThrow(TypeError);
    expect(() => connect('ws://127.0.0.1:9/', { reconnect: plain })).toThrow(/heartbeat\(\{ intervalMs \}\)/);
  });

  it('pings with the heartbeat it is given, and not at all with heartbeat: false', async () => {
    const { wss, url } = await echoServer();
    const pings: boolean[] = [];
    wss.on('connection', (client, request) => {
      client.on('ping', () => pings.push(request.url === '/pinged'));
    });
    const pinged = connect(`${url}pinged`, { heartbeat: heartbeat({ intervalMs: 50, timeoutMs: 1000 }) });
    const silent = connect(`${url}silent`, { heartbeat: false });
    cleanups.push(
      () => pinged.close(),
      () => silent.close(),
    );
    const rtts: number[] = [];
    pinged.on('pong', (rtt) => rtts.push(rtt));
    await new Promise<void>((resolve) => silent.on('open', () => resolve()));
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (rtts.length >= 3) resolve();
      }, 10);
      cleanups.push(() => clearInterval(timer));
    });
    expect(pings.length).toBeGreaterThanOrEqual(3);
    expect(pings.every(Boolean)).toBe(true);
  });

  it('reports an undecodable message as a CodecError and keeps going', async () => {
    const { url } = await echoServer();
    const socket = connect<unknown, unknown>(url, { codec: 'json' });
    cleanups.push(() => socket.close());
    const errors: unknown[] = [];
    socket.on('error', (error) => errors.push(error));
    const messages: unknown[] = [];
    const got = new Promise<void>((resolve) =>
      socket.on('message', (message) => {
        messages.push(message);
        resolve();
      }),
    );
    socket.raw.send('not json');
    socket.send({ ok: true });
    await got;
    expect(messages).toEqual([{ ok: true }]);
    expect(errors[0]).toBeInstanceOf(CodecError);
  });

  it('decodes a binary JSON message with jsonCodec() given as the codec (it was a CodecError over a Blob)', async () => {
    const { url } = await echoServer();
    const socket = connect<unknown, unknown>(url, { codec: jsonCodec(), heartbeat: false });
    cleanups.push(() => socket.close());
    const got = new Promise<unknown>((resolve) => {
      socket.on('message', resolve);
      socket.on('error', resolve);
    });
    socket.raw.send(new TextEncoder().encode('{"binary":true}'));
    expect(await got).toEqual({ binary: true });
  });

  it('takes your own WebSocket class (ws) with its capabilities', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const { url } = await echoServer((headers) => seen.push(headers));
    const socket = connect(url, {
      WebSocket: WsWebSocket as never,
      capabilities: { headers: true },
      headers: { 'X-From': 'ws' },
    });
    cleanups.push(() => socket.close());
    await new Promise<void>((resolve) => socket.on('open', () => resolve()));
    expect(socket.raw.transport).toBeInstanceOf(WsWebSocket);
    expect(seen[0]?.['x-from']).toBe('ws');
  });

  it('gives your own WebSocket class (ws) headers merged from any form: a forEach-only Headers, a repeated name', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const { url } = await echoServer((headers) => seen.push(headers));
    const forEachOnly = {
      forEach(callback: (value: string, name: string) => void) {
        callback('ws', 'X-From');
      },
    };
    const repeated: Array<[string, string]> = [
      ['X-Trace', 'a'],
      ['X-Trace', 'b'],
    ];
    for (const headers of [forEachOnly, repeated]) {
      const socket = connect(url, { WebSocket: WsWebSocket as never, capabilities: { headers: true }, headers });
      cleanups.push(() => socket.close());
      await new Promise<void>((resolve) => socket.on('open', () => resolve()));
    }
    expect(seen[0]?.['x-from']).toBe('ws');
    expect(seen[1]?.['x-trace']).toBe('a, b');
  });

  it('passes Node transport options through (maxPayload)', async () => {
    const { wss, url } = await echoServer();
    const socket = connect(url, { transport: { maxPayload: 10 }, reconnect: { retry: { maxRetries: 0 } } });
    cleanups.push(() => socket.close());
    await new Promise<void>((resolve) => socket.on('open', () => resolve()));
    // WHATWG "fail the WebSocket connection": the app sees 1006; the error says what we sent.
    const failed = new Promise<unknown>((resolve) => socket.on('error', (error) => resolve(error)));
    for (const client of wss.clients) client.send('x'.repeat(100));
    const error = await failed;
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).closeCode).toBe(1009);
  });

  it('reads a refused handshake on Node, through our transport and through ws: 503 with Retry-After is honoured, 403 stops', async () => {
    const statuses: number[] = [];
    const server = createServer();
    server.on('upgrade', (_request, socket) => {
      const status = statuses.shift() ?? 403;
      const retryAfter = status === 503 ? 'Retry-After: 1\r\n' : '';
      socket.end(`HTTP/1.1 ${status} Refused\r\n${retryAfter}Content-Length: 0\r\nConnection: close\r\n\r\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const wsCapabilities = { headers: true, handshakeDetails: true };
    const clients = {
      'connect()': () => connect(url, { heartbeat: false }).raw,
      'connect() with ws': () =>
        connect(url, { heartbeat: false, WebSocket: WsWebSocket, capabilities: wsCapabilities }).raw,
      'ReconnectingWebSocket with ws': () =>
        new ReconnectingWebSocket(url, undefined, { WebSocket: WsWebSocket as never }),
    };
    for (const [name, open] of Object.entries(clients)) {
      statuses.push(503, 403);
      const socket = open();
      const delays: number[] = [];
      const failures: Array<{ kind: string; status: number | undefined }> = [];
      socket.on('reconnecting', (info) => delays.push(info.delayMs));
      socket.on('failure', ({ failure }) => failures.push({ kind: failure.kind, status: failure.handshake?.status }));
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.on('state', ({ to }) => to === 'closed' && resolve()));
      expect({ name, failures, delays }).toEqual({
        name,
        failures: [
          { kind: 'handshake', status: 503 },
          { kind: 'handshake', status: 403 },
        ],
        delays: [1000],
      });
    }
  });

  it('stops at once on a URL or subprotocol the transport refuses, with or without auth, rather than retrying forever', async () => {
    let tokens = 0;
    const auth = tokenAuth({ token: () => `t${++tokens}` });
    for (const [target, options] of [
      ['ws://[not-a-host/', {}],
      ['ws://127.0.0.1:9/', { protocols: ['not a token'] }],
      ['ws://127.0.0.1:9/', { protocols: ['not a token'], auth }],
      ['ftp://127.0.0.1:9/', { auth }],
    ] as const) {
      const socket = connect(target, { heartbeat: false, ...options });
      const kinds: string[] = [];
      socket.on('failure', ({ failure }) => kinds.push(failure.kind));
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.on('state', ({ to }) => to === 'closed' && resolve()));
      expect(kinds).toEqual(['transport']);
    }
    expect(tokens).toBe(2);
  });
});
