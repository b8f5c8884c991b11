// The shared behavioural suite on Bun, through the BUILT umbrella package: `sturdysocket` resolves
// by its `bun` export condition to dist/runtime/deno.js (the Deno adapter serves Bun) (build the packages first).
// Run: .tools/bun/node_modules/.bin/bun test e2e/bun/
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { capabilities, createWebSocket } from 'sturdysocket';
import { type BehaviourTarget, behaviourCases, headerCases } from '../shared/behaviour-suite.ts';

// The server runs under Node: inside Bun, `ws` would be replaced by Bun's own implementation.
const server = spawn(
  'node',
  [fileURLToPath(new URL('../shared/behaviour-server.mjs', import.meta.url)), '--exit-with-stdin'],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
let port = 0;
let refusedPort = 0;

beforeAll(async () => {
  let buffered = '';
  while (!buffered.includes('\n')) {
    const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
    buffered += chunk.toString('utf8');
  }
  ({ port, refusedPort } = JSON.parse(buffered.slice(0, buffered.indexOf('\n'))) as {
    port: number;
    refusedPort: number;
  });
});

afterAll(() => {
  server.kill('SIGTERM');
});

const target: BehaviourTarget = {
  baseUrl: () => `ws://127.0.0.1:${port}`,
  refusedUrl: () => `ws://127.0.0.1:${refusedPort}/`,
  createWebSocket: (url, options) => createWebSocket(url, options),
};

test('the bun entry declares headers, no ping, no handshake details', () => {
  expect(capabilities).toEqual({ headers: true, ping: false, handshakeDetails: false });
});

test('sturdysocket resolves to the built bun entry', () => {
  expect(import.meta.resolve('sturdysocket')).toEndWith('/dist/runtime/deno.js');
});

for (const behaviour of [...behaviourCases, ...headerCases]) {
  test(behaviour.name, () => behaviour.run(target), 20_000);
}
