import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as WsWebSocket } from 'ws';
import { browserCapabilities } from './capabilities.js';
import { createWebSocket, nativeWebSocket } from './create-web-socket.js';

// Node 20 has no global WebSocket: the tests install `ws`'s client (a real WHATWG-style
// constructor taking `(url, protocols)`) where a native one is needed, and restore what was there.
const originalWebSocket = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
function setGlobalWebSocket(value: unknown): void {
  Object.defineProperty(globalThis, 'WebSocket', { value, configurable: true, writable: true });
}
afterEach(() => {
  if (originalWebSocket) Object.defineProperty(globalThis, 'WebSocket', originalWebSocket);
  else delete (globalThis as { WebSocket?: unknown }).WebSocket;
});

let server: WebSocketServer;
let url: string;
beforeAll(async () => {
  server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (offered) => (offered.has('b') ? 'b' : false),
  });
  await once(server, 'listening');
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise((resolve) => server.close(resolve));
});

describe('browserCapabilities', () => {
  it('declares headers, ping and handshake details absent, and cannot be changed', () => {
    expect(browserCapabilities).toEqual({ headers: false, ping: false, handshakeDetails: false });
    expect(Object.isFrozen(browserCapabilities)).toBe(true);
  });
});

describe('createWebSocket', () => {
  it('refuses headers with a TypeError, in every header form, before opening anything', () => {
    setGlobalWebSocket(WsWebSocket);
    const connections = server.clients.size;
    for (const headers of [
      { Authorization: 'Bearer x' },
      [['X-A', '1']] as Array<[string, string]>,
      new Headers({ 'X-B': '2' }),
    ]) {
      expect(() => createWebSocket(url, { headers })).toThrow(/cannot send custom handshake headers/);
      expect(() => createWebSocket(url, { headers })).toThrow(TypeError);
    }
    expect(server.clients.size).toBe(connections);
  });

  it('treats headers that name no header as none, in every header form', () => {
    const opened: unknown[][] = [];
    setGlobalWebSocket(
      class {
        constructor(...args: unknown[]) {
          opened.push(args);
        }
      },
    );
    const empty = [
      {},
      { Authorization: undefined },
      { 'X-List': [] },
      [],
      new Headers(),
      new Map<string, string>(),
      { forEach: () => {} },
    ];
    for (const headers of empty) createWebSocket(url, { headers });
    expect(opened).toHaveLength(empty.length);
    // A Headers-like object without an iterator, as old polyfills made them, is read by its forEach.
    const polyfilled = { forEach: (callback: (value: string, name: string) => void) => callback('1', 'X-A') };
    expect(() => createWebSocket(url, { headers: polyfilled })).toThrow(TypeError);
    expect(() => createWebSocket(url, { headers: { 'X-List': ['1'] } })).toThrow(TypeError);
    expect(opened).toHaveLength(empty.length);
  });

  it('says so when the environment has no WebSocket', () => {
    setGlobalWebSocket(undefined);
    expect(() => nativeWebSocket()).toThrow(TypeError);
    expect(() => createWebSocket(url)).toThrow(/no global WebSocket/);
  });

  it('opens the global WebSocket with the protocols offered, and empty headers are fine', async () => {
    setGlobalWebSocket(WsWebSocket);
    const socket = createWebSocket(url, { protocols: ['a', 'b'], headers: {} });
    expect(socket).toBeInstanceOf(WsWebSocket);
    const [request] = (await once(server, 'connection')) as [unknown, { headers: Record<string, string> }];
    expect(request).toBeDefined();
    await once(socket as unknown as WsWebSocket, 'open');
    expect(socket.protocol).toBe('b');
    socket.close();
    await once(socket as unknown as WsWebSocket, 'close');
  });

  it('offers a single protocol given as a string, and none when none is given', async () => {
    setGlobalWebSocket(WsWebSocket);
    const offered: string[] = [];
    const onConnection = (_: unknown, request: { headers: Record<string, string | undefined> }): void => {
      offered.push(request.headers['sec-websocket-protocol'] ?? '(none)');
    };
    server.on('connection', onConnection);
    try {
      for (const options of [{ protocols: 'b' }, {}]) {
        const socket = createWebSocket(url, options);
        await once(socket as unknown as WsWebSocket, 'open');
        socket.close();
        await once(socket as unknown as WsWebSocket, 'close');
      }
    } finally {
      server.off('connection', onConnection);
    }
    expect(offered).toEqual(['b', '(none)']);
  });
});
