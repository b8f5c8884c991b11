// Interop: permessage-deflate parameters (RFC 7692 §7.1) as Python `websockets` imposes them —
// window bits and no-context-takeover in each direction — over many messages in a row, so a
// dictionary carried across messages (or wrongly reset) shows.
import type { NodePermessageDeflateOptions, WebSocket } from '@sturdysocket/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANY_COUNT, manyMessage } from '../servers/echo-paths.js';
import {
  bytesOf,
  expectEcho,
  expectEchoesInOrder,
  openClient,
  receiveMessages,
  textOf,
} from '../servers/echo-suite.js';
import { type Launched, launch, requireExecutable, SYSTEM_PYTHON, serverScript } from '../servers/launch.js';

const APT = 'install python3-websockets (apt-get install -y python3-websockets)';

// websockets 10.4 cannot compress with an 8-bit window (Python's zlib refuses raw wbits 8), so
// server windows start at 9; a client window of 8 makes this client send uncompressed.
const configurations: readonly [Record<string, unknown>, NodePermessageDeflateOptions | true, RegExp][] = [
  [{}, true, /^permessage-deflate(; client_max_window_bits=15)?$/],
  [
    { server_max_window_bits: 9, client_max_window_bits: 9 },
    true,
    /server_max_window_bits=9.*client_max_window_bits=9/,
  ],
  [{ server_max_window_bits: 12, server_no_context_takeover: true }, true, /server_no_context_takeover/],
  [{ client_max_window_bits: 8, client_no_context_takeover: true }, true, /client_no_context_takeover/],
  [
    {},
    { serverMaxWindowBits: 10, serverNoContextTakeover: true, clientNoContextTakeover: true },
    /server_max_window_bits=10/,
  ],
];

describe.each(configurations)(
  'Python websockets with permessage-deflate %j, client offer %j',
  (serverOptions, clientOptions, negotiated) => {
    let server: Launched | undefined;
    let socket: WebSocket;

    beforeAll(async () => {
      requireExecutable(SYSTEM_PYTHON, APT);
      server = await launch(SYSTEM_PYTHON, [serverScript('python-websockets-echo.py'), JSON.stringify(serverOptions)]);
      socket = await openClient(`ws://127.0.0.1:${server.port}/`, { perMessageDeflate: clientOptions });
    });

    afterAll(async () => {
      socket?.terminate();
      await server?.kill();
    });

    it('negotiates the parameters', () => {
      expect(socket.extensions).toMatch(negotiated);
    });

    it('echoes 0, 1, 64 KiB ± 1 byte messages', async () => {
      for (const size of [0, 1, 65535, 65536, 65537]) {
        await expectEcho(socket, 'text', size);
        await expectEcho(socket, 'binary', size);
      }
    });

    it('echoes 200 similar messages sent back to back, in order', async () => {
      await expectEchoesInOrder(
        socket,
        Array.from({ length: 200 }, (_, i) => (i % 2 ? textOf(i * 40) : bytesOf(i * 40))),
      );
    });

    it('inflates 1000 messages the server sends in a row', async () => {
      const many = await openClient(`ws://127.0.0.1:${server!.port}/many`, { perMessageDeflate: clientOptions });
      const received = await receiveMessages(many, MANY_COUNT);
      many.terminate();
      expect(received).toEqual(Array.from({ length: MANY_COUNT }, (_, i) => manyMessage(i)));
    });
  },
);
