#!/usr/bin/env node
// Runs the demo and every example in examples/ (against the built packages), each with a time
// limit, and writes the tally to .reports/examples.json for the test aggregator.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = [
  ['demo', 'node', ['scripts/demo.mjs'], /lost 0, duplicated 0/],
  ...readdirSync(join(root, 'examples'))
    .filter((name) => /\.(mjs|sh)$/.test(name) && name !== 'echo-server.mjs')
    .map((name) => [`examples/${name}`, name.endsWith('.sh') ? 'bash' : 'node', [`examples/${name}`], undefined]),
];

let passed = 0;
let failed = 0;
for (const [name, command, args, mustPrint] of runs) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const ok = result.status === 0 && (mustPrint === undefined || mustPrint.test(output));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (ok) {
    passed++;
    console.log(`✓ ${name} (${seconds}s)`);
  } else {
    failed++;
    console.log(`✗ ${name} (exit ${result.status ?? result.signal}, ${seconds}s)\n${output}`);
  }
}
mkdirSync(join(root, '.reports'), { recursive: true });
writeFileSync(join(root, '.reports/examples.json'), JSON.stringify({ passed, failed }));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
