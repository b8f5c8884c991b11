// permessage-deflate through the WebSocket class, against `ws` servers with and without it.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type PerMessageDeflateOptions, WebSocketServer } from 'ws';
import { WebSocket } from './websocket.js';

/** Resolves once `condition` holds (checked every 5 ms); the test's timeout bounds the wait. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function echoServer(perMessageDeflate: PerMessageDeflateOptions | false) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate });
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const offers: Array<string | undefined> = [];
  server.on('connection', (socket, request) => {
    offers.push(request.headers['sec-websocket-extensions']);
    socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
  });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`, offers };
}

async function open(url: string, options: ConstructorParameters<typeof WebSocket>[1] = {}) {
  const socket = new WebSocket(url, options);
  socket.binaryType = 'nodebuffer';
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = (event) => reject(event.error);
  });
  return socket;
}

function echo(socket: WebSocket, data: string | Buffer): Promise<unknown> {
  return new Promise((resolve) => {
    socket.addEventListener('message', (event) => resolve((event as MessageEvent).data), { once: true });
    socket.send(data);
  });
}

describe('perMessageDeflate', () => {
  it('is offered by default and agreed by a server that supports it', async () => {
    const server = await echoServer({ threshold: 0 });
    const socket = await open(server.url);
    expect(server.offers[0]).toContain('permessage-deflate');
    expect(socket.extensions).toMatch(/^permessage-deflate/);
    expect(socket.handshake?.extensions.map((extension) => extension.name)).toEqual(['permessage-deflate']);
    const text = 'compressible '.repeat(10_000);
    expect(await echo(socket, text)).toBe(text);
    const random = Buffer.from(crypto.getRandomValues(new Uint8Array(65_536)));
    expect((await echo(socket, random)) as Buffer).toEqual(random);
    expect(await echo(socket, 'small')).toBe('small');
    // The write callback may run a loop turn after the peer read the bytes.
    await until(() => socket.bufferedAmount === 0);
    socket.close();
  });

  it('is not offered with perMessageDeflate: false', async () => {
    const server = await echoServer({ threshold: 0 });
    const socket = await open(server.url, { perMessageDeflate: false });
    expect(server.offers[0]).toBeUndefined();
    expect(socket.extensions).toBe('');
    socket.close();
  });

  it('takes offer parameters', async () => {
    const server = await echoServer({ threshold: 0 });
    const socket = await open(server.url, {
      perMessageDeflate: { serverNoContextTakeover: true, serverMaxWindowBits: 10 },
    });
    expect(server.offers[0]).toMatch(/server_no_context_takeover/);
    expect(server.offers[0]).toMatch(/server_max_window_bits=10/);
    expect(socket.handshake?.extensions[0]?.params).toContainEqual(['server_no_context_takeover', true]);
    const text = 'again and again '.repeat(5000);
    expect(await echo(socket, text)).toBe(text);
    socket.close();
  });

  it('opens without it when the server declines', async () => {
    const server = await echoServer(false);
    const socket = await open(server.url);
    expect(server.offers[0]).toContain('permessage-deflate');
    expect(socket.extensions).toBe('');
    expect(await echo(socket, 'plain')).toBe('plain');
    socket.close();
  });

  it('keeps bufferedAmount exact while messages wait for compression, and their order', async () => {
    const server = await echoServer({ threshold: 0 });
    const socket = await open(server.url);
    const received: unknown[] = [];
    const all = new Promise<void>((resolve) => {
      socket.addEventListener('message', (event) => {
        received.push((event as MessageEvent).data);
        if (received.length === 4) resolve();
      });
    });
    const big = 'x'.repeat(200_000);
    socket.send(big);
    socket.send('tiny');
    socket.send(Buffer.alloc(5000, 1));
    socket.send(big);
    expect(socket.bufferedAmount).toBe(200_000 + 4 + 5000 + 200_000);
    await all;
    expect(received.map((data) => (typeof data === 'string' ? data.length : (data as Buffer).length))).toEqual([
      200_000, 4, 5000, 200_000,
    ]);
    // The write callback may run a loop turn after the peer read the bytes.
    await until(() => socket.bufferedAmount === 0);
    socket.close();
  });
});
