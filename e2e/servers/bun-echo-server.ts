// Echo server on Bun's own WebSocket server (`Bun.serve` with a `websocket` handler), in its own
// process. Prints "PORT <n>" once listening. Paths, as in python-websockets-echo.py:
// - /close/<code>: the server starts the closing handshake with a 123-byte reason;
// - /many: the server sends MANY_COUNT text messages in a row;
// - anything else echoes.
// An optional argument picks Bun's permessage-deflate compressor: `shared` (the default, what
// `perMessageDeflate: true` means: no context takeover either way) or `dedicated` (a sliding window
// per connection, context kept across messages).
// Exits when its stdin closes: the test that launched it is gone.
// Run: bun bun-echo-server.ts [shared|dedicated]
// Type-checked by nobody: e2e/tsconfig.json has Node's types only.
import { CLOSE_REASON, MANY_COUNT, manyMessage, offersEcho } from './echo-paths.ts';

const compressor = process.argv[2] ?? 'shared';

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch(request, server) {
    const headers = offersEcho(request) ? { 'Sec-WebSocket-Protocol': 'echo' } : undefined;
    if (server.upgrade(request, { data: { path: new URL(request.url).pathname }, headers })) return undefined;
    return new Response('WebSocket only', { status: 426 });
  },
  websocket: {
    perMessageDeflate: { compress: compressor, decompress: compressor },
    // The default, 16 MiB, is exactly the suites' largest message; this is `ws-echo-server.mjs`'s.
    maxPayloadLength: 64 * 1024 * 1024,
    open(socket) {
      const { path } = socket.data;
      if (path.startsWith('/close/')) socket.close(Number(path.split('/')[2]), CLOSE_REASON);
      else if (path === '/many') {
        for (let i = 0; i < MANY_COUNT; i++) socket.send(manyMessage(i));
      }
    },
    message(socket, message) {
      // Bun returns the bytes it sent, -1 when it queued them behind backpressure, and 0 when it
      // dropped them, or sent an empty message. A drop closes the connection, so that a test sees
      // why rather than waiting for an echo that never comes.
      if (socket.send(message) === 0 && message.length > 0) socket.close(1011, 'echo dropped');
    },
  },
});
console.log(`PORT ${server.port}`);

process.stdin.on('end', () => process.exit(0)).resume();
