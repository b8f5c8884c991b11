// The size budget of sturdysocket's browser bundle, beside partysocket's and
// reconnecting-websocket's bundled the same way: esbuild for the browser (ESM, minified, the
// `browser` export condition), gzipped at level 9 with node:zlib.
//
// Each package is bundled in two shapes:
// - `entry`: what an application imports: `import { connect } from 'sturdysocket'`, partysocket's
//   and reconnecting-websocket's default export (their socket class). This is what a user ships,
//   and what the budget holds.
// - `all`: the whole public surface (`import * as all from '<package>'`), for reference.
//
// Run after building the packages: `node e2e/size/size-budget.mjs` (exit code 1 when over budget,
// `--json` for machine-readable output, `--inputs` for the minified bytes of each bundled file). e2e/node/size-budget.test.ts asserts the same in CI.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The goal the issue sets for the umbrella's browser bundle, in gzipped bytes: 4 KiB. */
export const BROWSER_GOAL_BYTES = 4096;

/**
 * The budget for the umbrella's browser bundle (`entry` shape), in gzipped bytes. Until the goal is
 * reached it is a ratchet: the size reached, rounded up to the next 256 bytes, so growth fails CI.
 * Lower it whenever the bundle shrinks; raise it only for a feature, by what the feature costs, and
 * say so in the commit (12,288 → 12,544: the bound on `for await` loops, `messages({ maxBuffered })`;
 * 9,728 → 9,984: an outbox that stays linear at any `maxMessages`, on core's `Fifo`, +144 bytes;
 * 8,192 → 8,448: fixes from a review, +196 bytes: reconnecting-websocket's option names refused by
 * name, `reconnect.heartbeat` refused in any form, the outbox safe against a `send()` that ends the
 * loop, handshake capabilities of a class brought to the browser entry held to its reader;
 * 8,448 → 8,704: the bundle went from 8,421 to 8,691 bytes (+270) with the fixes of a second
 * review — no heartbeat or timer left behind by a listener's close()/reconnect() and no final close
 * after a listener's restart, once means once, delays past the timer limit, a primitive's size in
 * the outbox, a Retry-After no lifecycle signal cuts short, listeners removed mid-dispatch
 * skipped, retryCount after minUptimeMs, a codec's binaryType, headers a transport can never send
 * refused once by connect(), headers as pairs, a Map or a Headers — and the close on pagehide,
 * +100 of them, that lets a page come back from the back-forward cache and reconnect at once;
 * 8,704 → 8,960: 8,691 → 8,714 bytes (+23) in a fifth session — a size pass took 26 bytes out, and
 * fixes put 49 back: a WebSocket class you bring gets every header form, merged as core's
 * `headerRecord` does (Cookie joined with '; ', 'constructor' and '__proto__' kept as headers),
 * SturdySocket skips listeners removed mid-dispatch, and a close() or reconnect() called from the
 * classifier (the auth layer's onEvent runs there) is obeyed instead of the loop reconnecting on).
 */
export const BROWSER_BUDGET_BYTES = 8_960;

/** The packages measured; the first is ours, the others are what users compare us with. */
export const MEASURED_PACKAGES = ['sturdysocket', 'partysocket', 'reconnecting-websocket'];

/** What an application imports from each package: the `entry` shape. */
export const ENTRY_IMPORTS = {
  sturdysocket: '{ connect as entry }',
  partysocket: 'entry',
  'reconnecting-websocket': 'entry',
};

/** The import statement of each shape, for `packageName`. */
function importOf(packageName, shape) {
  if (shape === 'all') return `import * as all from '${packageName}';\nexport default all;\n`;
  return `import ${ENTRY_IMPORTS[packageName] ?? 'entry'} from '${packageName}';\nexport default entry;\n`;
}

/** How each shape reads in the report. */
function describeImport(packageName, shape) {
  if (shape === 'all') return `import * as all from '${packageName}'`;
  const what = ENTRY_IMPORTS[packageName] ?? 'entry';
  return what.startsWith('{') ? `import { ${what.slice(2, what.indexOf(' as '))} }` : 'import (default)';
}

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
 * Bundles `packageName` for the browser, in one shape, and measures it.
 * @param {string} packageName
 * @param {'entry' | 'all'} [shape] `entry` (what an application imports, the default) or `all` (the whole surface)
 * @returns {Promise<{ name: string, version: string, shape: 'entry' | 'all', minifiedBytes: number, gzipBytes: number, code: string, inputs: string[], bytesByInput: Record<string, number> }>}
 */
export async function measureBrowserBundle(packageName, shape = 'entry') {
  const result = await build({
    stdin: { contents: importOf(packageName, shape), resolveDir, loader: 'js' },
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
  const bytesByInput = {};
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput > 0) bytesByInput[input] = (bytesByInput[input] ?? 0) + bytesInOutput;
    }
  }
  const version = await installedVersion(packageName);
  return {
    name: packageName,
    version,
    shape,
    minifiedBytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length,
    code,
    inputs: Object.keys(result.metafile.inputs),
    bytesByInput,
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
  const rows = [];
  for (const name of MEASURED_PACKAGES) {
    rows.push({ entry: await measureBrowserBundle(name, 'entry'), all: await measureBrowserBundle(name, 'all') });
  }
  const ours = rows[0].entry;
  const markers = [...new Set([...findNodeMarkers(ours.code), ...findNodeMarkers(rows[0].all.code)])];
  const withinBudget = ours.gzipBytes <= BROWSER_BUDGET_BYTES && markers.length === 0;
  if (process.argv.includes('--json')) {
    const sizes = ({ minifiedBytes, gzipBytes }) => ({ minifiedBytes, gzipBytes });
    console.log(
      JSON.stringify(
        {
          measured: "entry: what an application imports (sturdysocket's connect); all: the whole public surface",
          goalBytes: BROWSER_GOAL_BYTES,
          budgetBytes: BROWSER_BUDGET_BYTES,
          withinBudget,
          withinGoal: ours.gzipBytes <= BROWSER_GOAL_BYTES,
          nodeMarkers: markers,
          rows: rows.map(({ entry, all }) => ({
            name: entry.name,
            version: entry.version,
            entryImport: describeImport(entry.name, 'entry'),
            entry: sizes(entry),
            all: sizes(all),
          })),
        },
        null,
        2,
      ),
    );
  } else {
    console.log('browser bundles (esbuild, ESM, minified, gzip -9)');
    console.log(`${''.padEnd(48)}what a user imports     whole public surface`);
    console.log(`${''.padEnd(48)}min        min+gzip     min        min+gzip`);
    for (const { entry, all } of rows) {
      const label = `${entry.name}@${entry.version} ${describeImport(entry.name, 'entry')}`;
      console.log(
        `${label.padEnd(46)}${formatKiB(entry.minifiedBytes)} ${formatKiB(entry.gzipBytes)}  ${formatKiB(all.minifiedBytes)} ${formatKiB(all.gzipBytes)}`,
      );
    }
    console.log(
      `budget for sturdysocket (import { connect }, min+gzip): ${BROWSER_BUDGET_BYTES} bytes — ${
        ours.gzipBytes <= BROWSER_BUDGET_BYTES ? 'within' : 'OVER'
      } (${ours.gzipBytes} bytes)`,
    );
    const gap = ours.gzipBytes - BROWSER_GOAL_BYTES;
    console.log(
      `goal: ${BROWSER_GOAL_BYTES} bytes (4 KiB) min+gzip — ${
        gap <= 0 ? 'reached' : `not reached: ${gap} bytes (${formatKiB(gap).trim()}) to go`
      }; partysocket ${rows[1].entry.gzipBytes} bytes, reconnecting-websocket ${rows[2].entry.gzipBytes} bytes`,
    );
    if (markers.length > 0)
      console.log(`Node built-ins or polyfills found in the browser bundle: ${markers.join(', ')}`);
    if (process.argv.includes('--inputs')) {
      console.log('sturdysocket import { connect }, minified bytes by input:');
      for (const [input, bytes] of Object.entries(ours.bytesByInput).sort((a, b) => b[1] - a[1])) {
        console.log(`${String(bytes).padStart(8)}  ${input}`);
      }
    }
  }
  process.exitCode = withinBudget ? 0 : 1;
}
