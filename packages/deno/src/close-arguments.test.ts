import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as WsWebSocket } from 'ws';
import { checkCloseArguments, enforceCloseArguments } from './close-arguments.js';

function nameOfThrown(fn: () => void): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as Error).name;
  }
  return undefined;
}

describe('checkCloseArguments', () => {
  it('accepts 1000 and 3000–4999, with or without a reason', () => {
    for (const code of [undefined, 1000, 3000, 4000, 4999])
      expect(nameOfThrown(() => checkCloseArguments(code, undefined))).toBeUndefined();
  });

  it('refuses every other code with an InvalidAccessError DOMException', () => {
    for (const code of [0, 999, 1001, 1005, 1006, 1015, 2999, 5000, 65535]) {
      expect(nameOfThrown(() => checkCloseArguments(code, undefined))).toBe('InvalidAccessError');
    }
    expect(() => checkCloseArguments(1001, undefined)).toThrow(DOMException);
  });

  it('measures the reason in UTF-8 bytes: 123 pass, 124 are a SyntaxError', () => {
    expect(nameOfThrown(() => checkCloseArguments(4000, 'a'.repeat(123)))).toBeUndefined();
    expect(nameOfThrown(() => checkCloseArguments(4000, 'a'.repeat(124)))).toBe('SyntaxError');
    // 62 characters, 124 bytes.
    expect(nameOfThrown(() => checkCloseArguments(4000, 'é'.repeat(62)))).toBe('SyntaxError');
  });
});

describe('enforceCloseArguments on a real socket', () => {
  let server: WebSocketServer;
  let url: string;
  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  it('throws before the native close sees a bad code, then passes a good one through', async () => {
    const socket = enforceCloseArguments(new WsWebSocket(url));
    const [peer] = (await once(server, 'connection')) as [WsWebSocket];
    await once(socket, 'open');
    expect(nameOfThrown(() => socket.close(1001))).toBe('InvalidAccessError');
    expect(nameOfThrown(() => socket.close(4000, 'é'.repeat(62)))).toBe('SyntaxError');
    expect(socket.readyState).toBe(WsWebSocket.OPEN);
    const peerClosed = once(peer, 'close');
    socket.close(4321, 'fine');
    const [code, reason] = (await peerClosed) as [number, Buffer];
    expect(code).toBe(4321);
    expect(reason.toString()).toBe('fine');
  });
});
