// Demo chapter: the SDK's main job, as a timeline. A client made with `connect()` talks to a
// server through a relay; the demo kills the server, expires the token and freezes the
// connection, and the client recovers from each without losing a message.
import { connect, HandshakeError, heartbeat, tokenAuth } from 'sturdysocket';
import { DemoServer } from './demo-server.mjs';
import { FreezeProxy } from './freeze-proxy.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function timelineChapter(log) {
  let tokenVersion = 1;
  const server = new DemoServer('token-v1');
  await server.start();
  const proxy = new FreezeProxy(server.port);
  const proxyPort = await proxy.listen();
  log(`server on 127.0.0.1:${server.port}, relay on 127.0.0.1:${proxyPort}`);

  let sent = 0;
  const delivered = new Set();
  const socket = connect(`ws://127.0.0.1:${proxyPort}/demo`, {
    auth: tokenAuth({
      // A token provider: called for each connection attempt that has no valid token.
      token: async () => {
        log(`  token provider called → issues token v${tokenVersion} (the value is never logged)`);
        return `token-v${tokenVersion}`;
      },
    }),
    heartbeat: heartbeat({ intervalMs: 400, timeoutMs: 400 }),
    reconnect: {
      backoff: { initialDelayMs: 200, maxDelayMs: 2_000 },
      retry: { minUptimeMs: 300 },
    },
  });
  const send = (text) => {
    sent++;
    const status = socket.send(text);
    log(`  send ${JSON.stringify(text).padEnd(14)} → ${status}`);
  };
  socket.on('message', (data) => {
    const text = String(data);
    if (text.startsWith('ack ')) delivered.add(text.slice(4));
  });
  socket.on('open', () => {
    const { handshake } = socket.raw.transport;
    log(`open — protocol pings on, handshake verified: key ${handshake.key} → accept ${handshake.accept}`);
  });
  socket.on('reconnecting', ({ attempt, delayMs, decision }) =>
    log(`  reconnecting: retry ${attempt} in ${Math.round(delayMs)} ms (${decision.reason})`),
  );
  socket.on('close', ({ code, reason, willReconnect }) => {
    if (willReconnect) log(`  connection closed: code ${code}${reason ? ` "${reason}"` : ''}`);
  });
  socket.on('error', (error) => {
    if (error instanceof HandshakeError) {
      log(`  handshake failed: ${error.reason}${error.status === undefined ? '' : ` (HTTP ${error.status})`}`);
    }
  });
  const opened = () =>
    new Promise((resolve) => {
      const off = socket.on('open', () => {
        off();
        resolve();
      });
    });

  log('— 1. connect with a token (header carrier: Authorization: Bearer …)');
  await opened();
  log('— 2. messages flowing');
  for (const n of [1, 2, 3]) send(`msg ${n}`);
  await sleep(150);

  log('— 3. the server is killed');
  await server.kill();
  await sleep(100);
  for (const n of [4, 5, 6]) send(`msg ${n}`);
  log(`  ${socket.queuedMessages} messages wait in the outbox`);
  await sleep(700);

  log('— 4. the server comes back on the same port');
  const back = opened();
  await server.start(server.port);
  await back;
  await sleep(150);
  log(`  server has received, in order: ${server.received.join(', ')}`);

  log('— 5. the server expires the token (close 4001)');
  tokenVersion = 2;
  const refreshed = opened();
  server.expireToken('token-v2');
  await refreshed;
  send('msg 7');
  await sleep(150);

  log('— 6. the connection goes half-open (the relay silently stops forwarding)');
  const frozenAt = performance.now();
  const detected = new Promise((resolve) => {
    const off = socket.on('close', () => {
      off();
      resolve();
    });
  });
  const recovered = opened();
  proxy.freezeAll();
  await detected;
  log(
    `  heartbeat declared the peer dead after ${Math.round(performance.now() - frozenAt)} ms (no pong within 400 ms)`,
  );
  send('msg 8');
  await recovered;
  log(`  reconnected ${Math.round(performance.now() - frozenAt)} ms after the freeze`);
  await sleep(200);

  socket.close();
  proxy.close();
  await server.stop();
  const lost = [...Array(sent).keys()].map((i) => `msg ${i + 1}`).filter((m) => !delivered.has(m));
  const duplicates = server.received.length - new Set(server.received).size;
  log('— summary');
  log(`  messages sent ${sent}, delivered ${delivered.size}, lost ${lost.length}, duplicated ${duplicates}`);
  log(`  server received: ${server.received.join(', ')}`);
  return lost.length === 0 && duplicates === 0;
}
