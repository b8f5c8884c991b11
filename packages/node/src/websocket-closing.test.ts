// The closing handshake's timers against a real `ws` server that stops reading: what `send()`
// queued before `close()` must still arrive, and a server that never reads or never answers must
// not hold the socket open for ever.
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws';
import type { CloseEvent } from './events.js';
import type { NodeWebSocketOptions } from './options.js';
import { WebSocket } from './websocket.js';

/**
 * More than the kernel buffers between client and server hold while the server does not read
 * (on Linux loopback a few MiB), so most of it waits in the client until the server reads again.
 */
const LARGE = 48 * 1024 * 1024;

interface ServerSide {
  readonly socket: ServerSocket;
  /** The server's TCP socket: pausing it stops the server reading. */
  readonly tcp: Socket;
  /** Sizes of the messages the server received, in order. */
  readonly received: number[];
  readonly closed: Promise<{ code: number; reason: string }>;
}

let server: WebSocketServer;
let url: string;
const waiting: Array<(side: ServerSide) => void> = [];

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 2 * LARGE, perMessageDeflate: false });
  await once(server, 'listening');
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  server.on('connection', (socket) => {
    const received: number[] = [];
    socket.on('message', (data: Buffer) => received.push(data.byteLength));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    const tcp = (socket as unknown as { _socket: Socket })._socket;
    waiting.shift()?.({ socket, tcp, received, closed });
  });
});

afterAll(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise((resolve) => server.close(resolve));
});

/** A connection whose server side has stopped reading. */
async function openToDeafServer(options: NodeWebSocketOptions) {
  const side = new Promise<ServerSide>((resolve) => waiting.push(resolve));
  const socket = new WebSocket(url, { perMessageDeflate: false, ...options });
  await once(socket, 'open');
  const server = await side;
  server.tcp.pause();
  return { socket, server, closed: once(socket, 'close') as Promise<[CloseEvent]> };
}

/** Lets `ms` pass: the server stays deaf for longer than the timeout under test. */
function pass(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Long enough for the server, once it reads again, to read what the kernel buffers still hold
 * ahead of our close frame and answer; short of the time it stays deaf, `DEAF_MS`.
 */
const CLOSE_TIMEOUT_MS = 500;
const DEAF_MS = 1000;

describe('closing behind data the server has not read yet', () => {
  it('closeTimeoutMs waits for our close frame to be written: the data sent before close() arrives', async () => {
    const { socket, server, closed } = await openToDeafServer({ closeTimeoutMs: CLOSE_TIMEOUT_MS });
    socket.send(new Uint8Array(LARGE));
    socket.close(4000, 'done');
    await pass(DEAF_MS);
    expect(socket.readyState).toBe(WebSocket.CLOSING);
    server.tcp.resume();
    const [event] = await closed;
    expect(server.received).toEqual([LARGE]);
    expect(await server.closed).toEqual({ code: 4000, reason: 'done' });
    expect(event).toMatchObject({ code: 4000, wasClean: true });
    expect(socket.bufferedAmount).toBe(0);
  });

  it('the server closes first: our echo waits behind the data, which arrives before it', async () => {
    const { socket, server, closed } = await openToDeafServer({ closeTimeoutMs: CLOSE_TIMEOUT_MS });
    socket.send(new Uint8Array(LARGE));
    server.socket.close(4001, 'server done');
    await pass(DEAF_MS);
    server.tcp.resume();
    const [event] = await closed;
    expect(server.received).toEqual([LARGE]);
    // The echo carries the code (RFC 6455 §5.5.1), not the reason.
    expect((await server.closed).code).toBe(4001);
    expect(event).toMatchObject({ code: 4001, reason: 'server done', wasClean: true });
  });

  it('a server that never reads: closeFlushTimeoutMs bounds the wait for our close frame to go out', async () => {
    const { socket, closed } = await openToDeafServer({ closeTimeoutMs: 0, closeFlushTimeoutMs: 200 });
    socket.send(new Uint8Array(LARGE));
    socket.close(4000);
    const [event] = await closed;
    expect(event).toMatchObject({ code: 1006, wasClean: false, sentCode: 4000 });
    // What never reached the kernel still counts, as WHATWG's bufferedAmount never falls for it.
    expect(socket.bufferedAmount).toBeGreaterThan(0);
  });

  it('a server that reads but never answers: closeTimeoutMs still fires once our close frame is written', async () => {
    // Nothing is queued: the frame reaches the kernel at once, and the server's kernel holds it unread.
    const { socket, closed } = await openToDeafServer({ closeTimeoutMs: 100, closeFlushTimeoutMs: 0 });
    socket.close(4000);
    const [event] = await closed;
    expect(event).toMatchObject({ code: 1006, wasClean: false, sentCode: 4000 });
  });
});

describe('a limit that ends the close', () => {
  it('the server closed first and never reads our echo: closeFlushTimeoutMs ends it, not clean', async () => {
    const { socket, server, closed } = await openToDeafServer({ closeTimeoutMs: 0, closeFlushTimeoutMs: 200 });
    socket.send(new Uint8Array(LARGE));
    server.socket.close(4001, 'server done');
    const [event] = await closed;
    // §7.1.4: clean only once both close frames were exchanged; our echo never left. §7.1.5: the
    // code is still the one received.
    expect(event).toMatchObject({ code: 4001, wasClean: false });
  });
});
