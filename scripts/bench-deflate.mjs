#!/usr/bin/env node
// Compressed throughput, side by side: @sturdysocket/node and ws, both with permessage-deflate,
// against one ws server (deflate on, threshold 0) in a child process, so the client's CPU is
// measured alone. Rows: receive and send of compressible 16 KiB text messages. Each row runs 3
// times, the clients interleaved, each run in a fresh process (so one client's garbage and
// compiled code never land on the other's figures); medians and the ratio to ws are printed (CPU
// below 1 is better). ws hands text over as a Buffer; it is decoded with `toString()`, as an
// application would, since the WHATWG client hands over a string.
// Run after a build: `pnpm build && node scripts/bench-deflate.mjs` (also part of `pnpm bench`).
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);

const SIZE = 16 * 1024;
/** Messages per run: enough that starting the process and connecting fade. */
const COUNT = 5_000;
const ROUNDS = 3;
const ROWS = ['receive', 'send'];
const CLIENTS = ['sturdysocket', 'ws'];

const line = JSON.stringify({
  id: 0,
  user: 'someone',
  text: 'the quick brown fox jumps over the lazy dog',
  tags: ['a', 'b'],
});
const payload = line.repeat(Math.ceil(SIZE / line.length)).slice(0, SIZE);

// ── One run, in a process of its own: `bench-deflate.mjs --run <client> <row> <port>` ─────────

async function openClient(client, url, onMessage) {
  if (client === 'sturdysocket') {
    const { WebSocket } = await import(join(root, 'packages/node/dist/index.js'));
    const socket = new WebSocket(url);
    socket.onmessage = (event) => onMessage(event.data);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = (event) => reject(event.error);
    });
    return socket;
  }
  const { WebSocket } = await import('ws');
  const socket = new WebSocket(url, { perMessageDeflate: true });
  socket.on('message', (data, isBinary) => onMessage(isBinary ? data : data.toString()));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
}

async function runOne(client, row, port) {
  let received = 0;
  let done;
  const finished = new Promise((resolve) => {
    done = resolve;
  });
  const path = row === 'receive' ? 'source' : 'sink';
  // The source sends COUNT messages; the sink answers one "done" after counting COUNT.
  const socket = await openClient(client, `ws://127.0.0.1:${port}/${path}?count=${COUNT}`, () => {
    if (row === 'send' || ++received === COUNT) done();
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  if (row === 'send') for (let i = 0; i < COUNT; i++) socket.send(payload);
  await finished;
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - started;
  socket.close();
  return { cpuUs: (used.user + used.system) / COUNT, mbPerS: (COUNT * SIZE) / 1e6 / (wallMs / 1000) };
}

if (process.argv[2] === '--run') {
  const [client, row, port] = process.argv.slice(3);
  console.log(JSON.stringify(await runOne(client, row, Number(port))));
  process.exit(0);
}

// ── The comparison: a ws server with permessage-deflate, then every run in a fresh process ────

const serverSource = `
import { WebSocketServer } from 'ws';
const message = ${JSON.stringify(payload)};
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
process.on('exit', () => server.kill('SIGKILL'));
const port = await new Promise((resolve) =>
  server.stdout.on('data', (chunk) => {
    const match = /PORT (\d+)/.exec(String(chunk));
    if (match) resolve(Number(match[1]));
  }),
);

const runInProcess = (client, row) =>
  JSON.parse(
    execFileSync(process.execPath, [self, '--run', client, row, String(port)], { cwd: root, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop(),
  );

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `permessage-deflate, ${COUNT} × ${SIZE / 1024} KiB compressible text, median of ${ROUNDS} interleaved runs, each in a fresh process`,
);
console.log('row                      client         CPU µs/msg   MB/s    CPU ×ws');
for (const row of ROWS) {
  const results = Object.fromEntries(CLIENTS.map((client) => [client, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const client of CLIENTS) results[client].push(runInProcess(client, row));
  }
  const wsCpu = median(results.ws.map((r) => r.cpuUs));
  const name = `${row} 16 KiB (deflate)`;
  for (const client of CLIENTS) {
    const cpu = median(results[client].map((r) => r.cpuUs));
    const rate = median(results[client].map((r) => r.mbPerS));
    console.log(
      `${name.padEnd(25)}${client.padEnd(15)}${cpu.toFixed(1).padStart(10)}${rate.toFixed(1).padStart(8)}${(cpu / wsCpu).toFixed(2).padStart(10)}`,
    );
  }
}
process.exit(0);
