import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { DIAGNOSTICS_CHANNELS } from './diagnostics.js';
import { WebSocket } from './websocket.js';

let server: WebSocketServer;
let url: string;

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/traced`;
  server.on('connection', (socket) => {
    socket.ping('from server');
    socket.on('message', () => socket.close(4000, 'traced'));
  });
  server.on('headers', (headers) => headers.push('Set-Cookie: session=server-secret'));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

it('publishes handshake, open, ping, pong and close, with secret header values redacted', async () => {
  const published: Array<[string, Record<string, unknown>]> = [];
  const listeners = Object.values(DIAGNOSTICS_CHANNELS).map((name) => {
    const listener = (message: unknown) => published.push([name, message as Record<string, unknown>]);
    subscribe(name, listener);
    return [name, listener] as const;
  });
  try {
    // A password in the URL is a credential too: no channel may carry it.
    const socket = new WebSocket(url.replace('ws://', 'ws://user:url-secret@'), {
      headers: { Authorization: 'Bearer client-secret', 'X-Tenant-Key': 'tenant-secret', 'X-Trace': 'visible' },
      secretHeaders: ['X-Tenant-Key'],
      protocols: ['chat', 'bearer.proto-secret'],
      secretProtocols: ['bearer.proto-secret'],
      perMessageDeflate: false,
    });
    await new Promise((resolve) => socket.addEventListener('open', resolve));
    await socket.ping('rtt');
    socket.send('close please');
    await new Promise((resolve) => socket.addEventListener('close', resolve));

    const names = published.map(([name]) => name);
    expect(names.slice(0, 3)).toEqual([
      'sturdysocket:handshake-request',
      'sturdysocket:handshake-response',
      'sturdysocket:open',
    ]);
    expect(names.at(-1)).toBe('sturdysocket:close');
    expect(names).toContain('sturdysocket:ping');
    expect(names).toContain('sturdysocket:pong');

    const request = published.find(([name]) => name === 'sturdysocket:handshake-request')?.[1];
    expect(Object.fromEntries(request?.headers as Array<[string, string]>)).toMatchObject({
      Authorization: '[redacted]',
      'X-Tenant-Key': '[redacted]',
      'X-Trace': 'visible',
      'Sec-WebSocket-Protocol': 'chat, [redacted]',
    });
    expect(JSON.stringify(published.map(([, message]) => ({ ...message, websocket: undefined })))).not.toMatch(
      /client-secret|tenant-secret|proto-secret|url-secret/,
    );
    const response = published.find(([name]) => name === 'sturdysocket:handshake-response')?.[1];
    expect(response).toMatchObject({ url, status: 101 });
    expect(Object.fromEntries(response?.headers as Array<[string, string]>)['Set-Cookie']).toBe('[redacted]');

    const pings = published.filter(([name]) => name === 'sturdysocket:ping').map(([, message]) => message);
    expect(pings.map((message) => message.direction).sort()).toEqual(['received', 'sent']);
    const pongs = published.filter(([name]) => name === 'sturdysocket:pong').map(([, message]) => message);
    expect(pongs.map((message) => message.direction).sort()).toEqual(['received', 'sent']);

    expect(published.find(([name]) => name === 'sturdysocket:close')?.[1]).toMatchObject({
      websocket: socket,
      code: 4000,
      reason: 'traced',
      wasClean: true,
    });
    const everything = JSON.stringify(published.map(([name, { websocket: _, ...rest }]) => [name, rest]));
    expect(everything).not.toMatch(/client-secret|tenant-secret|server-secret|url-secret/);
  } finally {
    for (const [name, listener] of listeners) unsubscribe(name, listener);
  }
});
