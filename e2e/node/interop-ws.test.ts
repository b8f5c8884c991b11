// Interop: the Node WebSocket against `ws` running in its own process.
import type { WebSocket } from '@sturdysocket/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_SIZES, expectCleanClose, expectEcho, HUGE_SIZE, openClient } from '../servers/echo-suite.js';
import { type Launched, launch, serverScript } from '../servers/launch.js';

for (const deflate of [false, true]) {
  describe(`ws server, permessage-deflate ${deflate ? 'on' : 'off'}`, () => {
    let server: Launched | undefined;
    let socket: WebSocket;

    beforeAll(async () => {
      server = await launch(process.execPath, [serverScript('ws-echo-server.mjs'), ...(deflate ? ['--deflate'] : [])]);
      socket = await openClient(`ws://127.0.0.1:${server.port}/`, { protocols: ['echo'] });
    });

    afterAll(async () => {
      socket?.terminate();
      await server?.kill();
    });

    it('negotiates the subprotocol, and permessage-deflate when the server accepts it', () => {
      expect(socket.protocol).toBe('echo');
      if (deflate) expect(socket.extensions).toMatch(/^permessage-deflate/);
      else expect(socket.extensions).toBe('');
    });

    for (const kind of ['text', 'binary'] as const) {
      it.each([...ECHO_SIZES, HUGE_SIZE])(`echoes %i bytes of ${kind}`, async (size) => {
        await expectEcho(socket, kind, size);
      });
    }

    it('answers ping() with a pong', async () => {
      expect(await socket.ping()).toBeGreaterThanOrEqual(0);
    });

    it('closes cleanly with a code and reason', async () => {
      await expectCleanClose(socket, 4000, 'interop done');
    });
  });
}
