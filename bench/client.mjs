// One benchmark run in a fresh process: `node --expose-gc bench/client.mjs <client> <scenario> <port>`.
// Clients: sturdysocket (the built @sturdysocket/node), ws, raw (node:net, counts frame bytes only),
// undici (the global WebSocket of Node 22 and later; run this file with such a node).
// Prints one JSON line: cpu (µs of user+system CPU), wall (ms) and the scenario's figures.
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

const [clientName, scenario, portText] = process.argv.slice(2);
const port = Number(portText);
const base = `ws://127.0.0.1:${port}`;

const SIZES = { '64B': 64, '1MiB': 1024 * 1024 };
/** Messages per run, enough that per-process fixed costs (startup, connecting, compiling) fade. */
const COUNTS = { '64B': 1_000_000, '1MiB': 1000 };
const HIGH_WATER = 4 * 1024 * 1024;

// ── Clients behind one small interface ────────────────────────────────────────────────────────

async function sturdyClient() {
  const { WebSocket } = await import('../packages/node/dist/index.js');
  return {
    open(url, onMessage = () => {}) {
      // No compression on either client (the bench server would decline it anyway).
      const socket = new WebSocket(url, { perMessageDeflate: false });
      socket.binaryType = 'nodebuffer';
      socket.onmessage = (event) => onMessage(event.data);
      return new Promise((resolve, reject) => {
        socket.onopen = () => resolve(wrapWhatwg(socket));
        socket.onerror = (event) => reject(event.error);
      });
    },
  };
}

async function wsClient() {
  const { default: WS } = await import('ws');
  return {
    open(url, onMessage = () => {}) {
      const socket = new WS(url, { perMessageDeflate: false });
      // ws hands text over as a Buffer (validated, not decoded); an application wanting the
      // text decodes it, as the WHATWG clients do before delivering it.
      socket.on('message', (data, isBinary) => onMessage(isBinary ? data : data.toString()));
      return new Promise((resolve, reject) => {
        socket.once('open', () => resolve(wrapWs(socket)));
        socket.once('error', reject);
      });
    },
  };
}

/** Node 22's global WebSocket (undici). It has no 'nodebuffer'; 'arraybuffer' is its cheapest. */
function undiciClient() {
  if (typeof globalThis.WebSocket !== 'function') throw new Error('this node has no global WebSocket (Node 22+)');
  return {
    open(url, onMessage = () => {}) {
      const socket = new globalThis.WebSocket(url);
      socket.binaryType = 'arraybuffer';
      socket.onmessage = (event) => onMessage(event.data);
      return new Promise((resolve, reject) => {
        socket.onopen = () => resolve(wrapWhatwg(socket));
        socket.onerror = (event) => reject(event.error ?? new Error('undici WebSocket error'));
      });
    },
  };
}

function wrapWhatwg(socket) {
  return {
    send: (data) => socket.send(data),
    buffered: () => socket.bufferedAmount,
    close: () =>
      new Promise((resolve) => {
        socket.onclose = () => resolve();
        socket.close();
      }),
  };
}

function wrapWs(socket) {
  return {
    send: (data) => socket.send(data),
    buffered: () => socket.bufferedAmount,
    close: () =>
      new Promise((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}

/** The ceiling: a raw TCP client that does the least any client must (handshake, count bytes). */
function rawClient() {
  return {
    raw: true,
    open(url, onBytes = () => {}) {
      const target = new URL(url);
      const socket = connect(Number(target.port), target.hostname);
      socket.setNoDelay(true);
      socket.write(
        `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      return new Promise((resolve) => {
        let head = Buffer.alloc(0);
        const onData = (chunk) => {
          head = Buffer.concat([head, chunk]);
          const end = head.indexOf('\r\n\r\n');
          if (end === -1) return;
          socket.off('data', onData);
          const rest = head.subarray(end + 4);
          socket.on('data', onBytes);
          if (rest.length > 0) onBytes(rest);
          resolve({
            socket,
            close: () =>
              new Promise((resolveClose) => {
                socket.once('close', resolveClose);
                socket.end(Buffer.from([0x88, 0x80, 0, 0, 0, 0]));
              }),
          });
        };
        socket.on('data', onData);
      });
    },
  };
}

/** A masked client frame (all-zero key: valid, and the raw client's cheapest). */
function rawFrame(opcode, payload) {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const out = Buffer.alloc(headerLength + 4 + length);
  out[0] = 0x80 | opcode;
  if (length < 126) out[1] = 0x80 | length;
  else if (length < 0x10000) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(out, headerLength + 4);
  return out;
}

function frameBytes(size) {
  return size + (size < 126 ? 2 : size < 0x10000 ? 4 : 10);
}

/**
 * Waits a millisecond. Clients with only `bufferedAmount` (no drain event) poll it; a setImmediate
 * loop would spin the CPU while the server catches up and count that as the client's cost.
 */
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

// ── Scenarios ─────────────────────────────────────────────────────────────────────────────────

/** `text`: the server sends text messages (ASCII 'a's), which a client must validate as UTF-8 and decode. */
async function receive(client, sizeName, text = false) {
  const size = SIZES[sizeName];
  const count = COUNTS[sizeName];
  const url = `${base}/source?size=${size}&count=${count}${text ? '&text=1' : ''}`;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const faults = process.resourceUsage().minorPageFault;
  let done;
  const finished = new Promise((resolve) => {
    done = resolve;
  });
  // The raw client counts bytes; the others count messages.
  const expectedBytes = count * frameBytes(size);
  let got = 0;
  const socket = await client.open(url, (data) => {
    got += client.raw ? data.length : 1;
    if (got === (client.raw ? expectedBytes : count)) done();
  });
  await finished;
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - start;
  const pageFaults = process.resourceUsage().minorPageFault - faults;
  await socket.close();
  return { count, bytes: count * size, cpu: used.user + used.system, wall, pageFaults };
}

/** `text`: sends a string (ASCII, so its UTF-8 form has `size` bytes) instead of a Buffer. */
async function send(client, sizeName, text = false) {
  const size = SIZES[sizeName];
  const count = COUNTS[sizeName];
  const bytes = Buffer.alloc(size, 0x62);
  const payload = text ? bytes.toString('latin1') : bytes;
  let done;
  const finished = new Promise((resolve) => {
    done = resolve;
  });
  // The server answers "done" once it has counted every message.
  const socket = await client.open(`${base}/sink?count=${count}`, () => done());
  const start = performance.now();
  const cpu = process.cpuUsage();
  const faults = process.resourceUsage().minorPageFault;
  const batch = Math.max(1, Math.floor((256 * 1024) / size));
  if (client.raw) {
    const one = rawFrame(text ? 1 : 2, bytes);
    const frameBatch = Buffer.concat(Array.from({ length: batch }, () => one));
    for (let sent = 0; sent < count; ) {
      const n = Math.min(batch, count - sent);
      const ok = socket.socket.write(n === batch ? frameBatch : frameBatch.subarray(0, n * one.length));
      sent += n;
      if (!ok) await new Promise((resolve) => socket.socket.once('drain', resolve));
    }
  } else {
    for (let sent = 0; sent < count; ) {
      const n = Math.min(batch, count - sent);
      for (let i = 0; i < n; i++) socket.send(payload);
      sent += n;
      while (socket.buffered() > HIGH_WATER) await tick();
    }
  }
  await finished;
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - start;
  const pageFaults = process.resourceUsage().minorPageFault - faults;
  await socket.close();
  return { count, bytes: count * size, cpu: used.user + used.system, wall, pageFaults };
}

async function latency(client) {
  const payload = Buffer.alloc(64, 0x63);
  const iterations = 5000;
  const samples = [];
  let resolveEcho = () => {};
  let got = 0;
  const socket = await client.open(`${base}/echo`, (data) => {
    if (!client.raw) {
      resolveEcho();
      return;
    }
    got += data.length;
    if (got >= frameBytes(64)) {
      got -= frameBytes(64);
      resolveEcho();
    }
  });
  const frame = rawFrame(2, payload);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < iterations + 500; i++) {
    const echoed = new Promise((resolve) => {
      resolveEcho = resolve;
    });
    const sentAt = performance.now();
    if (client.raw) socket.socket.write(frame);
    else socket.send(payload);
    await echoed;
    if (i >= 500) samples.push(performance.now() - sentAt);
  }
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - start;
  await socket.close();
  samples.sort((a, b) => a - b);
  return {
    count: iterations + 500,
    p50: samples[Math.floor(samples.length * 0.5)],
    p99: samples[Math.floor(samples.length * 0.99)],
    cpu: used.user + used.system,
    wall,
  };
}

async function connections(client) {
  const durationMs = 2000;
  const cpu = process.cpuUsage();
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < durationMs) {
    const socket = await client.open(`${base}/idle`);
    await socket.close();
    count++;
  }
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - start;
  return { count, cpu: used.user + used.system, wall };
}

async function memory(client) {
  const n = 500;
  const measure = () => {
    for (let i = 0; i < 3; i++) globalThis.gc();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.external;
  };
  // Warm up code paths so compiled code is not counted as per-connection memory: enough
  // connections for the connection path to be optimised, as it will be after the first few.
  for (let i = 0; i < 50; i++) {
    const warm = await client.open(`${base}/idle`);
    await warm.close();
  }
  const before = measure();
  const sockets = [];
  for (let i = 0; i < n; i++) sockets.push(await client.open(`${base}/idle`));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const after = measure();
  for (const socket of sockets) await socket.close();
  return { count: n, bytesPerConnection: (after - before) / n };
}

const clients = { sturdysocket: sturdyClient, ws: wsClient, raw: rawClient, undici: undiciClient };
const scenarios = {
  'receive 64B': (client) => receive(client, '64B'),
  'receive 64B text': (client) => receive(client, '64B', true),
  'receive 1MiB': (client) => receive(client, '1MiB'),
  'send 64B': (client) => send(client, '64B'),
  'send 64B text': (client) => send(client, '64B', true),
  'send 1MiB': (client) => send(client, '1MiB'),
  'echo latency 64B': latency,
  'connections/s': connections,
  'memory per idle connection': memory,
};

const client = await clients[clientName]();
const result = await scenarios[scenario](client);
console.log(JSON.stringify(result));
process.exit(0);
