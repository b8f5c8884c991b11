// Echo server on Deno's own WebSocket server (`Deno.serve` + `Deno.upgradeWebSocket`), in its own
// process. Prints "PORT <n>" once listening. Paths, as in python-websockets-echo.py:
// - /close/<code>: the server starts the closing handshake with a 123-byte reason;
// - /many: the server sends MANY_COUNT text messages in a row;
// - /idle: echoes with `idleTimeout: 1`: Deno pings an idle connection, and closes it (1001) when
//   a ping goes unanswered for about a second;
// - anything else echoes.
// Exits when its stdin closes: the test that launched it is gone.
// Run: deno run --allow-net=127.0.0.1 deno-echo-server.ts
// Type-checked by Deno, not by e2e/tsconfig.json (which has Node's types only).
import { CLOSE_REASON, MANY_COUNT, manyMessage, offersEcho } from './echo-paths.ts';

Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`PORT ${port}`) }, (request) => {
  const path = new URL(request.url).pathname;
  const { socket, response } = Deno.upgradeWebSocket(request, {
    // Sent as given, so only when the client offered it.
    ...(offersEcho(request) && { protocol: 'echo' }),
    // In seconds; the default is 30.
    ...(path === '/idle' && { idleTimeout: 1 }),
  });
  // An ArrayBuffer is sent as it arrived; a Blob would be read asynchronously first.
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => {
    if (path.startsWith('/close/')) socket.close(Number(path.split('/')[2]), CLOSE_REASON);
    else if (path === '/many') {
      for (let i = 0; i < MANY_COUNT; i++) socket.send(manyMessage(i));
    }
  };
  socket.onmessage = (event) => socket.send(event.data);
  return response;
});

Deno.stdin.readable.pipeTo(new WritableStream()).finally(() => Deno.exit(0));
