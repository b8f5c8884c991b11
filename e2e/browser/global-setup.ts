// Bundles the BUILT umbrella (`sturdysocket` resolved by its `browser` condition to dist/) and the
// page and worker harnesses into a temporary site, then serves it with the behaviour server; also
// starts the auth server (e2e/shared/auth-server.mjs) for the auth and reconnect specs.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
// @ts-expect-error: a plain .mjs module without type declarations.
import { startAuthServer } from '../shared/auth-server.mjs';
// @ts-expect-error: a plain .mjs module without type declarations.
import { startBehaviourServer } from '../shared/behaviour-server.mjs';

const e2eDir = dirname(dirname(fileURLToPath(import.meta.url)));
const umbrellaDist = join(e2eDir, '..', 'packages', 'sturdysocket', 'dist', 'runtime', 'browser.js');

/** The page and the worker import the umbrella from the served bundle, as an application would. */
const umbrellaFromSite: Plugin = {
  name: 'sturdysocket-from-site',
  setup(builder) {
    builder.onResolve({ filter: /^sturdysocket$/ }, () => ({ path: '/sturdysocket.js', external: true }));
  },
};

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>sturdysocket e2e</title></head>
  <body>
    <h1>sturdysocket e2e</h1>
    <script type="module" src="/page-harness.js"></script>
  </body>
</html>
`;

const OTHER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>elsewhere</title></head><body>elsewhere</body></html>
`;

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(umbrellaDist)) {
    throw new Error('packages/sturdysocket/dist is missing: build the packages first (pnpm build)');
  }
  const site = await mkdtemp(join(tmpdir(), 'sturdysocket-site-'));
  await build({
    stdin: {
      contents:
        'export { AuthError, capabilities, connect, createLifecycleSignals, createWebSocket, ReconnectStoppedError, ' +
        "heartbeat, messages, openGate, tokenAuth, transport, WebSocket } from 'sturdysocket';",
      resolveDir: e2eDir,
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(site, 'sturdysocket.js'),
    logLevel: 'warning',
  });
  await build({
    entryPoints: {
      'page-harness': join(e2eDir, 'browser', 'harness', 'page.ts'),
      'worker-harness': join(e2eDir, 'browser', 'harness', 'worker.ts'),
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: site,
    plugins: [umbrellaFromSite],
    logLevel: 'warning',
  });
  await writeFile(join(site, 'index.html'), PAGE);
  await writeFile(join(site, 'other.html'), OTHER_PAGE);

  const server = await startBehaviourServer({ staticDir: site });
  process.env.STURDY_E2E_ORIGIN = `http://localhost:${server.port}`;
  process.env.STURDY_E2E_REFUSED_PORT = String(server.refusedPort);
  const authServer = await startAuthServer();
  process.env.STURDY_E2E_AUTH_PORT = String(authServer.port);
  process.env.STURDY_E2E_AUTH_CONTROL_PORT = String(authServer.controlPort);

  return async () => {
    await authServer.close();
    await server.close();
    await rm(site, { recursive: true, force: true });
  };
}
