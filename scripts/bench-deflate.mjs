#!/usr/bin/env node
// Compressed throughput, side by side: @sturdysocket/node and ws, both with permessage-deflate,
// against one ws server (deflate on, threshold 0) in a child process, so the client's CPU is
// measured alone. Rows: receive and send of compressible 16 KiB text messages. Each row runs 3
// times, the clients interleaved; medians and the ratio to ws are printed (CPU below 1 is better).
// Run after a build: `pnpm build && node scripts/bench-deflate.mjs` (also part of `pnpm bench`).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket as Ws } from 'ws';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { WebSocket: Sturdy } = await import(join(root, 'packages/node/dist/index.js'));

const SIZE = 16 * 1024;
const COUNT = 2_000;
const ROUNDS = 3;

const serverSource = `
import { WebSocketServer } from 'ws';
const size = ${SIZE};
const line = JSON.stringify({ id: 0, user: 'someone', text: 'the quick brown fox jumps over the lazy dog', tags: ['a', 'b'] });
const message = line.repeat(Math.ceil(size / line.length)).slice(0, size);
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0 } });
wss.on('connection', (socket, request) => {
  const url = new URL(request.url, 'http://x');
  const count = Number(url.searchParams.get('count'));
  if (url.pathname === '/source') {
    let sent = 0;
    const pump = () => { while (sent < count && socket.bufferedAmount < 1 << 20) { socket.send(message); sent++; } if (sent < count) setTimeout(pump, 1); };
    pump();
  } else {
    let received = 0;
    socket.on('message', () => { if (++received === count) socket.send('done'); });
  }
});
wss.on('listening', () => console.log('PORT ' + wss.address().port));
`;

const server = spawn(process.execPath, ['--input-type=module', '-e', serverSource], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise((resolve) =>
  server.stdout.on('data', (chunk) => {
    const match = /PORT (\d+)/.exec(String(chunk));
    if (match) resolve(Number(match[1]));
  }),
);

const line = JSON.stringify({
  id: 0,
  user: 'someone',
  text: 'the quick brown fox jumps over the lazy dog',
  tags: ['a', 'b'],
});
const payload = line.repeat(Math.ceil(SIZE / line.length)).slice(0, SIZE);

const clients = {
  sturdysocket: (url) => new Sturdy(url),
  ws: (url) => new Ws(url, { perMessageDeflate: true }),
};

function on(socket, type, listener) {
  if (typeof socket.addEventListener === 'function') socket.addEventListener(type, listener);
  else socket.on(type, listener);
}

async function receiveRow(make) {
  const socket = make(`ws://127.0.0.1:${port}/source?count=${COUNT}`);
  await new Promise((resolve) => on(socket, 'open', resolve));
  const cpu = process.cpuUsage();
  const started = performance.now();
  await new Promise((resolve) => {
    let received = 0;
    on(socket, 'message', () => {
      if (++received === COUNT) resolve();
    });
  });
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - started;
  socket.close();
  return { cpuUs: (used.user + used.system) / COUNT, mbPerS: (COUNT * SIZE) / 1e6 / (wallMs / 1000) };
}

async function sendRow(make) {
  const socket = make(`ws://127.0.0.1:${port}/sink?count=${COUNT}`);
  await new Promise((resolve) => on(socket, 'open', resolve));
  const cpu = process.cpuUsage();
  const started = performance.now();
  const done = new Promise((resolve) => on(socket, 'message', resolve));
  for (let i = 0; i < COUNT; i++) socket.send(payload);
  await done;
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - started;
  socket.close();
  return { cpuUs: (used.user + used.system) / COUNT, mbPerS: (COUNT * SIZE) / 1e6 / (wallMs / 1000) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `permessage-deflate, ${COUNT} × ${SIZE / 1024} KiB compressible text, median of ${ROUNDS} interleaved runs`,
);
console.log('row                      client         CPU µs/msg   MB/s    CPU ×ws');
for (const [name, row] of [
  ['receive 16 KiB (deflate)', receiveRow],
  ['send 16 KiB (deflate)', sendRow],
]) {
  const results = { sturdysocket: [], ws: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const client of Object.keys(clients)) results[client].push(await row(clients[client]));
  }
  const wsCpu = median(results.ws.map((r) => r.cpuUs));
  for (const client of Object.keys(clients)) {
    const cpu = median(results[client].map((r) => r.cpuUs));
    const rate = median(results[client].map((r) => r.mbPerS));
    console.log(
      `${name.padEnd(25)}${client.padEnd(15)}${cpu.toFixed(1).padStart(10)}${rate.toFixed(1).padStart(8)}${(cpu / wsCpu).toFixed(2).padStart(10)}`,
    );
  }
}
server.kill();
