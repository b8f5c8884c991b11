// Every hostile behaviour, in a client process of its own: each connection ends in a close event,
// the process never crashes, and it exits by itself afterwards (no leaked timer or socket).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BEHAVIOURS, type HostileServer, startHostileServer } from '../servers/hostile-server.js';
import { serverScript } from '../servers/launch.js';
import { bundleSource, type SourceBundle } from '../servers/source-bundle.js';

let bundle: SourceBundle;
let server: HostileServer;

beforeAll(async () => {
  bundle = await bundleSource('packages/node/src/index.ts', 'no-crash');
  server = await startHostileServer();
});

afterAll(async () => {
  await server?.close();
  bundle?.remove();
});

it('survives every hostile behaviour and exits on its own', async () => {
  const paths = Object.keys(BEHAVIOURS);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [serverScript('hostile-client.mjs'), bundle.file, `ws://127.0.0.1:${server.port}`, ...paths],
    { timeout: 25_000 },
  );
  const results = JSON.parse(stdout.trim()) as Array<{ path: string; events: string[]; code: number; reason?: string }>;
  expect(results.map((result) => result.path)).toEqual(paths);
  for (const result of results) {
    expect(result.events.at(-1), result.path).toBe('close');
    expect(
      result.events.filter((event) => event === 'close'),
      result.path,
    ).toHaveLength(1);
  }
  const byPath = Object.fromEntries(results.map((result) => [result.path, result]));
  expect(byPath['/never-answer']).toMatchObject({ events: ['error', 'close'], reason: 'timeout', code: 1006 });
  expect(byPath['/huge-headers']).toMatchObject({ reason: 'response-too-large' });
  expect(byPath['/masked-frame']).toMatchObject({ events: ['open', 'error', 'close'], reason: 'masked-frame' });
  expect(byPath['/deflate-bomb']).toMatchObject({ reason: 'message-too-big' });
  expect(byPath['/many-frames-one-write']).toMatchObject({ events: ['open', 'message', 'close'], code: 4000 });
}, 30_000);
