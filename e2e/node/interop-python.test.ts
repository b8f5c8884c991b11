// Interop: the Node WebSocket against two Python implementations no one here wrote —
// `websockets` (asyncio) and Autobahn|Python (Twisted) — each in its own process.
import type { WebSocket } from '@sturdysocket/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ECHO_SIZES,
  expectCleanClose,
  expectCleanServerClose,
  expectEcho,
  HUGE_SIZE,
  openClient,
} from '../servers/echo-suite.js';
import { type Launched, launch, requireExecutable, SYSTEM_PYTHON, serverScript } from '../servers/launch.js';

const APT = 'install python3-websockets and python3-autobahn (apt-get install -y python3-websockets python3-autobahn)';

const suites = [
  {
    name: 'Python websockets 10',
    script: 'python-websockets-echo.py',
    closeAnswer: 4000,
    serverCloses: [1001, 1011, 4000],
  },
  // Autobahn answers a close frame with 1000 whatever code it received (§5.5.1 allows it), and its
  // sendClose() accepts only 1000 and 3000-4999.
  {
    name: 'Autobahn|Python (Twisted)',
    script: 'autobahn-echo.py',
    closeAnswer: 1000,
    serverCloses: [1000, 3000, 4000],
  },
];

for (const suite of suites) {
  for (const perMessageDeflate of [false, true]) {
    describe(`${suite.name}, permessage-deflate ${perMessageDeflate ? 'on' : 'off'}`, () => {
      let server: Launched | undefined;
      let socket: WebSocket;

      beforeAll(async () => {
        requireExecutable(SYSTEM_PYTHON, APT);
        server = await launch(SYSTEM_PYTHON, [serverScript(suite.script)]);
        socket = await openClient(`ws://127.0.0.1:${server.port}/`, { protocols: ['echo'], perMessageDeflate });
      });

      afterAll(async () => {
        socket?.terminate();
        await server?.kill();
      });

      it('negotiates the subprotocol, and permessage-deflate when offered', () => {
        expect(socket.protocol).toBe('echo');
        if (perMessageDeflate) expect(socket.extensions).toMatch(/^permessage-deflate/);
        else expect(socket.extensions).toBe('');
      });

      for (const kind of ['text', 'binary'] as const) {
        it.each([...ECHO_SIZES, HUGE_SIZE])(`echoes %i bytes of ${kind}`, async (size) => {
          await expectEcho(socket, kind, size);
        });
      }

      it('answers ping() with a pong', async () => {
        expect(await socket.ping('rtt')).toBeGreaterThanOrEqual(0);
      });

      it.each(suite.serverCloses)(
        'reports a server-initiated close %i with a 123-byte UTF-8 reason as clean, with no error',
        async (code) => {
          // Autobahn resets the TCP connection once it has read our close frame: still clean (§7.1.4).
          await expectCleanServerClose(`ws://127.0.0.1:${server!.port}/close/${code}`, code, { perMessageDeflate });
        },
      );

      if (suite.script === 'autobahn-echo.py') {
        it('reassembles messages fragmented by the server, split mid-character, with pings between frames', async () => {
          const fragmented = await openClient(`ws://127.0.0.1:${server!.port}/fragments`, { perMessageDeflate });
          const received: unknown[] = [];
          await new Promise<void>((resolve, reject) => {
            fragmented.addEventListener('message', (event) => {
              received.push((event as MessageEvent).data);
              if (received.length === 2) resolve();
            });
            fragmented.addEventListener('close', () => reject(new Error('closed before both messages')));
          });
          fragmented.terminate();
          expect(received[0]).toBe('héllo ✓ wörld € 𝄞');
          expect(Buffer.from('repeat me '.repeat(200_000)).equals(received[1] as Buffer)).toBe(true);
        });
      }

      it('closes cleanly with a code and reason', async () => {
        await expectCleanClose(socket, 4000, 'interop done', suite.closeAnswer);
      });
    });
  }
}
