// enforceCloseArguments on a real `ws` client socket against a real `ws` server: what reaches the
// wire. The conversions and checks themselves are core's `checkCloseArguments` (tested there); the
// same cases run on Deno's and Bun's own sockets in the shared behaviour suite.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as WsWebSocket } from 'ws';
import { enforceCloseArguments } from './close-arguments.js';

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

  /** An open, enforced socket and what its server peer receives as the close frame. */
  async function open() {
    const socket = enforceCloseArguments(new WsWebSocket(url));
    const [peer] = (await once(server, 'connection')) as [WsWebSocket];
    await once(socket, 'open');
    const peerClosed = (once(peer, 'close') as Promise<[number, Buffer]>).then(([code, reason]) => ({
      code,
      reason: reason.toString(),
    }));
    return { socket, peerClosed };
  }

  it('throws before the native close sees a bad code, then passes a good one through', async () => {
    const { socket, peerClosed } = await open();
    expect(() => socket.close(1001)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
    expect(() => socket.close(4000, 'é'.repeat(62))).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    // WebIDL turns a string that is not a number into 0 (web-platform-tests' Close-onlyReason).
    expect(() => socket.close('Close with only reason' as never)).toThrow(
      expect.objectContaining({ name: 'InvalidAccessError' }),
    );
    expect(() => socket.close(Number.NaN)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
    expect(() => socket.close(1001, Symbol('reason') as never)).toThrow(TypeError);
    expect(socket.readyState).toBe(WsWebSocket.OPEN);
    socket.close(4321, 'fine');
    expect(await peerClosed).toEqual({ code: 4321, reason: 'fine' });
  });

  it('gives the native close the converted code: 2999.5 goes out as 3000', async () => {
    const { socket, peerClosed } = await open();
    socket.close(2999.5, 'rounded');
    expect(await peerClosed).toEqual({ code: 3000, reason: 'rounded' });
  });

  it('gives a reason without a code the code 1000, as WHATWG does', async () => {
    const { socket, peerClosed } = await open();
    socket.close(undefined, 'only a reason');
    expect(await peerClosed).toEqual({ code: 1000, reason: 'only a reason' });
  });

  it('calls the native close without arguments when none are given (no code on the wire, 1005)', async () => {
    const { socket, peerClosed } = await open();
    socket.close();
    expect((await peerClosed).code).toBe(1005);
  });
});

it('calls the native close with exactly the converted values', () => {
  const calls: unknown[][] = [];
  const socket = enforceCloseArguments({
    close(...args: unknown[]) {
      calls.push(args);
    },
  });
  socket.close({ valueOf: () => 3000.5 } as never, 'a\ud800' as never);
  socket.close(undefined, 'only');
  socket.close(undefined, '');
  socket.close(4000, '');
  expect(calls).toEqual([[3000, 'a\ufffd'], [1000, 'only'], [], [4000, '']]);
});
