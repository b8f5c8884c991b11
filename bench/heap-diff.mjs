// What an idle connection is made of: heap snapshots before and after opening N idle connections,
// diffed and grouped by constructor (or node type), per connection.
// Usage: node --expose-gc bench/heap-diff.mjs <sturdysocket|ws|raw> [N=200] [top=40] [--why=<group>]
// --why prints, for a few nodes of that group made by the connections, what retains them.
// Starts its own bench server (bench/server.mjs) in a child process, so only the client is measured.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WHY = process.argv.find((arg) => arg.startsWith('--why='))?.slice('--why='.length);
const [clientName = 'sturdysocket', countText = '200', topText = '40'] = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('--'));
const N = Number(countText);
const TOP = Number(topText);

const server = spawn(process.execPath, [join(ROOT, 'bench/server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
process.on('exit', () => server.kill('SIGKILL'));
const port = await new Promise((resolve) => {
  let output = '';
  server.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /PORT (\d+)/.exec(output);
    if (match) resolve(Number(match[1]));
  });
});
const url = `ws://127.0.0.1:${port}/idle`;

/** Opens one idle connection as bench/client.mjs does; resolves with what closes it. */
async function openerFor(name) {
  if (name === 'sturdysocket') {
    const { WebSocket } = await import('../packages/node/dist/index.js');
    return () => {
      const socket = new WebSocket(url, { perMessageDeflate: false });
      socket.binaryType = 'nodebuffer';
      socket.onmessage = () => {};
      return new Promise((resolve, reject) => {
        socket.onopen = () =>
          resolve(
            () =>
              new Promise((done) => {
                socket.onclose = done;
                socket.close();
              }),
          );
        socket.onerror = (event) => reject(event.error);
      });
    };
  }
  if (name === 'ws') {
    const { default: WS } = await import('ws');
    return () => {
      const socket = new WS(url, { perMessageDeflate: false });
      socket.on('message', () => {});
      return new Promise((resolve, reject) => {
        socket.once('open', () =>
          resolve(
            () =>
              new Promise((done) => {
                socket.once('close', done);
                socket.close();
              }),
          ),
        );
        socket.once('error', reject);
      });
    };
  }
  const { connect } = await import('node:net');
  return () => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    socket.write(
      `GET /idle HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    return new Promise((resolve) => {
      socket.once('data', () =>
        resolve(
          () =>
            new Promise((done) => {
              socket.once('close', done);
              socket.end(Buffer.from([0x88, 0x80, 0, 0, 0, 0]));
            }),
        ),
      );
    });
  };
}

const session = new Session();
session.connect();
const post = (method, params) =>
  new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );

/**
 * Writes a heap snapshot to a file, so that nothing of the first snapshot is on the heap when
 * the second is taken.
 */
async function snapshot(path) {
  for (let i = 0; i < 4; i++) globalThis.gc();
  const fd = openSync(path, 'w');
  const onChunk = (message) => writeSync(fd, message.params.chunk);
  session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  session.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  closeSync(fd);
}

/** Counts and self sizes of a snapshot's nodes, by type and name. */
function summarize(path, why) {
  const parsed = JSON.parse(readFileSync(path, 'utf8'));
  const { snapshot: meta, nodes, strings } = parsed;
  rmSync(path);
  const fields = meta.meta.node_fields;
  const types = meta.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map();
  const idAt = fields.indexOf('id');
  const matching = [];
  for (let i = 0; i < nodes.length; i += stride) {
    const type = types[nodes[i + typeAt]];
    const name = strings[nodes[i + nameAt]];
    const key =
      type === 'object' || type === 'closure' || type === 'native'
        ? `${type} ${name.length > 60 ? `${name.slice(0, 60)}…` : name}`
        : type === 'hidden' || type === 'array' || type === 'object shape'
          ? `${type} ${name.slice(0, 40)}`
          : `(${type})`;
    const group = groups.get(key) ?? { count: 0, size: 0 };
    group.count++;
    group.size += nodes[i + sizeAt];
    groups.set(key, group);
    if (why !== undefined && key === why.key && !why.ids.has(nodes[i + idAt])) matching.push(i);
  }
  if (why !== undefined) explain(parsed, matching);
  return groups;
}

/** The ids of a group's nodes, to tell the ones the connections made. */
function idsOf(path, key) {
  const { snapshot: meta, nodes, strings } = JSON.parse(readFileSync(path, 'utf8'));
  const fields = meta.meta.node_fields;
  const types = meta.meta.node_types[0];
  const ids = new Set();
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + fields.indexOf('type')]];
    const name = strings[nodes[i + fields.indexOf('name')]];
    if (key.endsWith(name) && key.startsWith(type)) ids.add(nodes[i + fields.indexOf('id')]);
  }
  return ids;
}

/** Prints what retains a few of the nodes at `indexes`, three levels up. */
function explain({ snapshot: meta, nodes, edges, strings }, indexes) {
  const fields = meta.meta.node_fields;
  const stride = fields.length;
  const edgeFields = meta.meta.edge_fields;
  const edgeTypes = meta.meta.edge_types[0];
  const types = meta.meta.node_types[0];
  const retainers = new Map();
  let edge = 0;
  for (let i = 0; i < nodes.length; i += stride) {
    const count = nodes[i + fields.indexOf('edge_count')];
    for (let e = 0; e < count; e++, edge += edgeFields.length) {
      const edgeType = edgeTypes[edges[edge]];
      if (edgeType === 'weak') continue;
      const nameOrIndex = edges[edge + 1];
      const to = edges[edge + 2];
      const label = edgeType === 'element' || edgeType === 'hidden' ? `[${nameOrIndex}]` : strings[nameOrIndex];
      if (!retainers.has(to)) retainers.set(to, []);
      retainers.get(to).push([i, label]);
    }
  }
  const nodeName = (i) =>
    `${types[nodes[i + fields.indexOf('type')]]} ${strings[nodes[i + fields.indexOf('name')]].slice(0, 50)}`;
  // One line per node: its first retainers, up the chain.
  const lines = new Map();
  for (const index of indexes) {
    const chain = [];
    let node = index;
    for (let depth = 0; depth < 5; depth++) {
      const retainer = (retainers.get(node) ?? []).find(([from]) => !nodeName(from).startsWith('synthetic'));
      if (retainer === undefined) break;
      chain.push(`.${retainer[1]} of ${nodeName(retainer[0])}`);
      node = retainer[0];
    }
    const line = `${nodeName(index)} (${nodes[index + fields.indexOf('self_size')]} B) ${chain.join(' ')}`;
    lines.set(line, (lines.get(line) ?? 0) + 1);
  }
  for (const [line, count] of [...lines].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${count} × ${line}`);
}

const open = await openerFor(clientName);
for (let i = 0; i < 50; i++) await (await open())();
const beforePath = join(tmpdir(), `heap-diff-${process.pid}-before.heapsnapshot`);
const afterPath = join(tmpdir(), `heap-diff-${process.pid}-after.heapsnapshot`);
await snapshot(beforePath);
const closers = [];
for (let i = 0; i < N; i++) closers.push(await open());
await new Promise((resolve) => setTimeout(resolve, 100));
await snapshot(afterPath);
const why = WHY === undefined ? undefined : { key: WHY, ids: idsOf(beforePath, WHY) };
const before = summarize(beforePath);
const after = summarize(afterPath, why);

const rows = [];
let total = 0;
for (const [key, group] of after) {
  const base = before.get(key) ?? { count: 0, size: 0 };
  const size = (group.size - base.size) / N;
  const count = (group.count - base.count) / N;
  total += size;
  if (size !== 0 || count !== 0) rows.push({ key, count, size });
}
for (const [key, base] of before) if (!after.has(key)) total -= base.size / N;
rows.sort((a, b) => Math.abs(b.size) - Math.abs(a.size));
console.log(`${clientName}: ${total.toFixed(0)} bytes per idle connection (heap snapshot diff over ${N})`);
for (const { key, count, size } of rows.slice(0, TOP)) {
  console.log(`${size.toFixed(1).padStart(8)} B  ${count.toFixed(2).padStart(6)} ×  ${key}`);
}
for (const close of closers) await close();
process.exit(0);
