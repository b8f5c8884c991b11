// Run under Node ≥ 22 (bundled by e2e/node/reconnect-undici.test.ts): the reconnect layer over the
// runtime's own WebSocket (undici), found as globalThis.WebSocket with no option given. Prints one
// JSON line of results.
import { ReconnectingWebSocket } from '@sturdysocket/reconnect';
import { TestServer, waitFor } from './echo-server.js';
import { FaultProxy } from './fault-proxy.js';

async function main(): Promise<void> {
  const server = await TestServer.start();
  const proxy = await FaultProxy.start(server.port);
  const socket = new ReconnectingWebSocket(proxy.url, undefined, {
    backoff: { initialDelayMs: 50, maxDelayMs: 200 },
    connectionTimeoutMs: 1000,
    // undici has no ping(): an application ping the test server answers.
    heartbeat: { intervalMs: 300, timeoutMs: 500, message: 'ping', isPong: (data) => data === 'pong' },
  });
  const kinds: string[] = [];
  socket.on('failure', ({ failure }) => kinds.push(failure.kind));
  let opens = 0;
  socket.on('open', () => opens++);
  await waitFor(() => opens === 1, 5000, 'open');

  // Server restart with messages queued meanwhile.
  await server.stop();
  await waitFor(() => socket.state !== 'open', 5000, 'the drop');
  const statuses = Array.from({ length: 30 }, (_, i) => socket.send(`q${i}`));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const restartedAt = performance.now();
  await server.restart();
  await waitFor(() => opens === 2, 5000, 'reopen');
  const recoveryMs = Math.round(performance.now() - restartedAt);
  await waitFor(() => server.received.length >= 30, 5000, 'the queued messages');

  // Half-open: detected by the application heartbeat.
  proxy.freeze();
  const frozenAt = performance.now();
  await waitFor(() => kinds.includes('heartbeat-timeout'), 5000, 'the heartbeat');
  const detectionMs = Math.round(performance.now() - frozenAt);
  proxy.thaw();
  await waitFor(() => opens >= 3, 10_000, 'recovery after the thaw');

  socket.close();
  await proxy.close();
  await server.stop();
  process.stdout.write(
    `${JSON.stringify({
      node: process.version,
      transport: typeof (globalThis as { WebSocket?: unknown }).WebSocket,
      statuses: [...new Set(statuses)],
      received: server.received,
      recoveryMs,
      failures: kinds,
      detectionMs,
      state: socket.state,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
