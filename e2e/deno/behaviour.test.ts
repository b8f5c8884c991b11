// The shared behavioural suite on Deno, through the BUILT umbrella package: `sturdysocket`
// resolves by its `deno` export condition to dist/runtime/deno.js (build the packages first).
// Run: pnpm exec deno test --allow-net=127.0.0.1,localhost --allow-read --allow-run --allow-env e2e/deno/
import { capabilities, createWebSocket } from 'sturdysocket';
import { type BehaviourTarget, behaviourCases, headerCases } from '../shared/behaviour-suite.ts';
import { startServerProcess } from './server-process.ts';

const server = await startServerProcess();

const target: BehaviourTarget = {
  baseUrl: () => `ws://127.0.0.1:${server.port}`,
  refusedUrl: () => `ws://127.0.0.1:${server.refusedPort}/`,
  createWebSocket: (url, options) => createWebSocket(url, options),
  // Deno reports a connection that never opened with close code 0, not 1006: the reconnect layer
  // must read 0 as an abnormal closure.
  quirks: { failedConnectionCloseCode: 0 },
};

Deno.test('the deno entry declares headers, no ping, no handshake details', () => {
  if (capabilities.headers !== true || capabilities.ping !== false || capabilities.handshakeDetails !== false) {
    throw new Error(`Unexpected capabilities ${JSON.stringify(capabilities)}`);
  }
});

Deno.test('sturdysocket resolves to the built deno entry', () => {
  const resolved = import.meta.resolve('sturdysocket');
  if (!resolved.endsWith('/dist/runtime/deno.js')) throw new Error(`sturdysocket resolved to ${resolved}`);
});

for (const behaviour of [...behaviourCases, ...headerCases]) {
  Deno.test(behaviour.name, () => behaviour.run(target));
}

globalThis.addEventListener('unload', () => server.stop());
