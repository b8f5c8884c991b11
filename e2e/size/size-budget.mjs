// The size budget of sturdysocket's browser bundle, beside partysocket's and
// reconnecting-websocket's bundled the same way: each package's whole public surface
// (`import * as all from '<package>'`), bundled by esbuild for the browser (ESM, minified),
// gzipped at level 9 with node:zlib.
//
// Run after building the packages: `node e2e/size/size-budget.mjs` (exit code 1 when over budget,
// `--json` for machine-readable output). e2e/node/size-budget.test.ts asserts the same in CI.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The budget for the umbrella's browser bundle, in gzipped bytes. */
export const BROWSER_BUDGET_BYTES = 4096;

/** The packages measured; the first is ours, the others are what users compare us with. */
export const MEASURED_PACKAGES = ['sturdysocket', 'partysocket', 'reconnecting-websocket'];

/** Resolve from e2e/, whose node_modules holds the workspace's `sturdysocket` link. */
const resolveDir = dirname(dirname(fileURLToPath(import.meta.url)));

/** The version of `packageName` found by walking up node_modules from e2e/ (exports maps may hide package.json). */
async function installedVersion(packageName) {
  for (let dir = resolveDir; ; dir = dirname(dir)) {
    try {
      return JSON.parse(await readFile(join(dir, 'node_modules', packageName, 'package.json'), 'utf8')).version;
    } catch {
      if (dirname(dir) === dir) return 'unknown';
    }
  }
}

/**
 * Bundles `packageName` for the browser and measures it.
 * @param {string} packageName
 * @returns {Promise<{ name: string, version: string, minifiedBytes: number, gzipBytes: number, code: string, inputs: string[] }>}
 */
export async function measureBrowserBundle(packageName) {
  const result = await build({
    stdin: { contents: `import * as all from '${packageName}';\nexport default all;\n`, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  const version = await installedVersion(packageName);
  return {
    name: packageName,
    version,
    minifiedBytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length,
    code,
    inputs: Object.keys(result.metafile.inputs),
  };
}

/** Signs that a bundle pulled in Node built-ins or a bundler's Node polyfills. */
export const NODE_MARKERS = [
  /["'`]node:[a-z_/]+["'`]/,
  /\brequire\(\s*["'`](buffer|events|stream|util|crypto|net|tls|http|https|zlib|url|os|path)["'`]\s*\)/,
  /\bfrom\s*["'`](buffer|events|stream|util|crypto|net|tls|http|https|zlib|url|os|path)["'`]/,
  /\bprocess\.(env|nextTick|versions)\b/,
  /\bBuffer\.(from|alloc|concat|isBuffer)\b/,
  /\b__dirname\b|\b__filename\b/,
];

/** The markers `code` contains, as their source text (empty when clean). */
export function findNodeMarkers(code) {
  return NODE_MARKERS.filter((marker) => marker.test(code)).map((marker) => marker.source);
}

function formatKiB(bytes) {
  return `${(bytes / 1024).toFixed(2)} KiB`.padStart(10);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = [];
  for (const name of MEASURED_PACKAGES) results.push(await measureBrowserBundle(name));
  const ours = results[0];
  const markers = findNodeMarkers(ours.code);
  const withinBudget = ours.gzipBytes <= BROWSER_BUDGET_BYTES && markers.length === 0;
  if (process.argv.includes('--json')) {
    const rows = results.map(({ name, version, minifiedBytes, gzipBytes }) => ({
      name,
      version,
      minifiedBytes,
      gzipBytes,
    }));
    console.log(
      JSON.stringify({ budgetBytes: BROWSER_BUDGET_BYTES, withinBudget, nodeMarkers: markers, rows }, null, 2),
    );
  } else {
    console.log('browser bundle (esbuild, ESM, minified)   min        min+gzip');
    for (const { name, version, minifiedBytes, gzipBytes } of results) {
      console.log(`${`${name}@${version}`.padEnd(38)}${formatKiB(minifiedBytes)}  ${formatKiB(gzipBytes)}`);
    }
    console.log(
      `budget for sturdysocket: ${formatKiB(BROWSER_BUDGET_BYTES).trim()} min+gzip — ${
        ours.gzipBytes <= BROWSER_BUDGET_BYTES ? 'within' : 'OVER'
      } (${ours.gzipBytes} bytes)`,
    );
    if (markers.length > 0)
      console.log(`Node built-ins or polyfills found in the browser bundle: ${markers.join(', ')}`);
  }
  process.exitCode = withinBudget ? 0 : 1;
}
