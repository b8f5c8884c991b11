// Interop: the Node WebSocket against the WebSocket servers built into Deno (`Deno.serve` with
// `Deno.upgradeWebSocket`) and Bun (`Bun.serve` with a `websocket` handler), each in its own
// process running e2e/servers/deno-echo-server.ts or bun-echo-server.ts.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ControlFrameMessage, DIAGNOSTICS_CHANNELS, type WebSocket } from '@sturdysocket/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_REASON, MANY_COUNT, manyMessage } from '../servers/echo-paths.js';
import {
  bytesOf,
  ECHO_SIZES,
  expectCleanClose,
  expectCleanServerClose,
  expectEcho,
  expectEchoesInOrder,
  HUGE_SIZE,
  nextClose,
  openClient,
  receiveMessages,
  textOf,
} from '../servers/echo-suite.js';
import { type Launched, launch, requireExecutable, serverScript } from '../servers/launch.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/**
 * The binary of the npm `deno` package: where its postinstall copies it, in the package's folder,
 * or else where it comes from, the platform package (`@deno/linux-x64-glibc`…), as in a clone whose
 * install ran no scripts. Not node_modules/.bin/deno: under pnpm that is a shim that runs the binary
 * under Node, and stopping the shim would leave the server running. Where neither is found, the
 * path the postinstall would have made, for `requireExecutable` to report.
 */
function denoExecutable(): string {
  const name = process.platform === 'win32' ? 'deno.exe' : 'deno';
  const copied = join(ROOT, 'node_modules/deno', name);
  try {
    const manifest = createRequire(join(ROOT, 'package.json')).resolve('deno/package.json');
    const inPackage = join(dirname(manifest), name);
    if (existsSync(inPackage)) return inPackage;
    const platform = `${process.platform}-${process.arch}${process.platform === 'linux' ? '-glibc' : ''}`;
    return join(dirname(createRequire(manifest).resolve(`@deno/${platform}/package.json`)), name);
  } catch {
    return copied;
  }
}

const DENO = denoExecutable();
const BUN = join(ROOT, '.tools/bun/node_modules/.bin/bun');

interface Suite {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly installHint: string;
  /** Whether this client offers permessage-deflate. */
  readonly perMessageDeflate: boolean;
  /** The extensions the server answers to our offer, `permessage-deflate; client_max_window_bits`. */
  readonly extensions: string;
  /** Codes the server closes `/close/<code>` with. */
  readonly serverCloses: readonly number[];
  /** The largest message the server takes, and the close this client reports on one byte more. */
  readonly messageLimit: { readonly bytes: number; readonly code: number; readonly wasClean: boolean };
  /** Whether the server has an `/idle` path that pings an idle client. */
  readonly pingsWhenIdle: boolean;
}

const deno = {
  command: DENO,
  args: ['run', '--allow-net=127.0.0.1', serverScript('deno-echo-server.ts')],
  installHint: 'run pnpm install (the `deno` package installs the binary)',
  serverCloses: [1000, 1001, 1011, 3000, 4999],
  // 64 MiB - 1, and `Deno.upgradeWebSocket` has no option to change it. One byte more and Deno
  // ends the TCP connection without a close frame, where RFC 6455 §7.1.7 says it SHOULD send one
  // (1009, §7.4.1): this client reports what it saw, an abnormal closure.
  messageLimit: { bytes: 64 * 1024 * 1024 - 1, code: 1006, wasClean: false },
  pingsWhenIdle: true,
};
const bun = {
  command: BUN,
  installHint: 'run scripts/install-tools.sh',
  serverCloses: [1000, 1001, 1011, 3000, 4999],
  // `maxPayloadLength` in bun-echo-server.ts; Bun closes with 1009 "Received too big message".
  messageLimit: { bytes: 64 * 1024 * 1024, code: 1009, wasClean: true },
  pingsWhenIdle: false,
};

const suites: readonly Suite[] = [
  // Deno's server has no permessage-deflate: it answers our offer with no extension.
  { ...deno, name: 'Deno.serve', perMessageDeflate: false, extensions: '' },
  { ...deno, name: 'Deno.serve', perMessageDeflate: true, extensions: '' },
  // Bun's shared compressor (what `perMessageDeflate: true` means) resets its context after every
  // message, both ways; the dedicated one keeps it.
  {
    ...bun,
    name: 'Bun.serve, shared compressor',
    args: [serverScript('bun-echo-server.ts'), 'shared'],
    perMessageDeflate: false,
    extensions: '',
  },
  {
    ...bun,
    name: 'Bun.serve, shared compressor',
    args: [serverScript('bun-echo-server.ts'), 'shared'],
    perMessageDeflate: true,
    extensions: 'permessage-deflate; client_no_context_takeover; server_no_context_takeover',
  },
  {
    ...bun,
    name: 'Bun.serve, dedicated compressor',
    args: [serverScript('bun-echo-server.ts'), 'dedicated'],
    perMessageDeflate: true,
    extensions: 'permessage-deflate',
  },
];

const launchers = [
  { ...deno, name: 'Deno.serve' },
  { ...bun, name: 'Bun.serve', args: [serverScript('bun-echo-server.ts')] },
];

for (const launcher of launchers) {
  it(`${launcher.name} server exits when its stdin closes, as when the test process dies by a signal`, async () => {
    requireExecutable(launcher.command, launcher.installHint);
    const server = await launch(launcher.command, launcher.args);
    const exited = new Promise((resolve) => server.process.once('exit', resolve));
    try {
      server.process.stdin!.end();
      await exited;
    } finally {
      await server.kill();
    }
  });
}

for (const suite of suites) {
  describe(`${suite.name}, client permessage-deflate ${suite.perMessageDeflate ? 'on' : 'off'}`, () => {
    const { perMessageDeflate } = suite;
    let server: Launched | undefined;
    let socket: WebSocket;
    const url = (path: string) => `ws://127.0.0.1:${server!.port}${path}`;

    beforeAll(async () => {
      requireExecutable(suite.command, suite.installHint);
      server = await launch(suite.command, suite.args);
      socket = await openClient(url('/'), { protocols: ['echo'], perMessageDeflate });
    });

    afterAll(async () => {
      socket?.terminate();
      await server?.kill();
    });

    it('negotiates the subprotocol, and the extensions the server answers to our offer', () => {
      const field = (fields: ReadonlyArray<readonly [string, string]>, name: string) =>
        fields.find(([key]) => key.toLowerCase() === name)?.[1];
      const { requestHeaders, responseHeaders } = socket.handshake!;
      expect(field(requestHeaders, 'sec-websocket-extensions')).toBe(
        perMessageDeflate ? 'permessage-deflate; client_max_window_bits' : undefined,
      );
      expect(field(responseHeaders, 'sec-websocket-extensions')).toBe(suite.extensions || undefined);
      expect(socket.protocol).toBe('echo');
      expect(socket.extensions).toBe(suite.extensions);
    });

    for (const kind of ['text', 'binary'] as const) {
      it.each([...ECHO_SIZES, HUGE_SIZE])(`echoes %i bytes of ${kind}`, async (size) => {
        await expectEcho(socket, kind, size);
      });
    }

    it('answers ping() with a pong carrying its payload, up to the 125 bytes a control frame holds', async () => {
      expect(await socket.ping('rtt')).toBeGreaterThanOrEqual(0);
      expect(await socket.ping(bytesOf(125))).toBeGreaterThanOrEqual(0);
    });

    it(`echoes ${MANY_COUNT} messages sent back to back, in order`, async () => {
      await expectEchoesInOrder(
        socket,
        Array.from({ length: MANY_COUNT }, (_, i) => (i % 2 ? textOf(i * 10) : bytesOf(i * 10))),
      );
    });

    it(`receives ${MANY_COUNT} messages the server sends in a row, in order`, async () => {
      const many = await openClient(url('/many'), { perMessageDeflate });
      const received = await receiveMessages(many, MANY_COUNT);
      many.terminate();
      expect(received).toEqual(Array.from({ length: MANY_COUNT }, (_, i) => manyMessage(i)));
    });

    it(`reports the close the server answers a message one byte over its limit with (${suite.messageLimit.code})`, async () => {
      const { bytes, code, wasClean } = suite.messageLimit;
      const oversize = await openClient(url('/'), { perMessageDeflate });
      const events: string[] = [];
      oversize.addEventListener('error', () => events.push('error'));
      const closed = nextClose(oversize);
      oversize.send(Buffer.alloc(bytes + 1));
      expect(await closed).toMatchObject({ code, wasClean });
      expect(events).toEqual(wasClean ? [] : ['error']);
    });

    if (suite.pingsWhenIdle)
      it('answers the pings the server sends an idle connection, and stays open', async () => {
        const idle = await openClient(url('/idle'), { perMessageDeflate });
        let onPong: (message: unknown) => void = () => {};
        const threePongs = new Promise<void>((resolve, reject) => {
          let pongs = 0;
          onPong = (message) => {
            const { websocket, direction } = message as ControlFrameMessage;
            if (websocket === idle && direction === 'sent' && ++pongs === 3) resolve();
          };
          // Unanswered, the server closes (1001 "No response from ping frame.") within about a second.
          idle.addEventListener('close', (event) => reject(new Error(`closed (${(event as CloseEvent).code})`)));
        });
        subscribe(DIAGNOSTICS_CHANNELS.pong, onPong);
        try {
          await threePongs;
        } finally {
          unsubscribe(DIAGNOSTICS_CHANNELS.pong, onPong);
        }
        await expectEcho(idle, 'text', 125);
        idle.terminate();
      });

    it.each(suite.serverCloses)(
      'reports a server-initiated close %i with a 123-byte UTF-8 reason as clean, with no error',
      async (code) => {
        await expectCleanServerClose(url(`/close/${code}`), code, { perMessageDeflate });
      },
    );

    it('closes cleanly with a code and a 123-byte UTF-8 reason, which the server echoes', async () => {
      const closed = await expectCleanClose(socket, 4000, CLOSE_REASON);
      expect(closed.reason).toBe(CLOSE_REASON);
    });
  });
}
