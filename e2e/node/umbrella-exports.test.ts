// Each export condition of `sturdysocket` resolves to its runtime's transport, as bundlers and
// runtimes see the BUILT package (esbuild resolves with exactly the conditions it is given).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const e2eDir = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * The dist file `specifier` resolves to under `conditions` (platform neutral: no implicit ones
 * besides `import` or `require`, which esbuild adds by the kind of import).
 */
async function resolveWith(
  specifier: string,
  conditions: string[],
  kind: 'import' | 'require' = 'import',
): Promise<string> {
  const contents = kind === 'import' ? `export * from '${specifier}';` : `module.exports = require('${specifier}');`;
  const result = await build({
    stdin: { contents, resolveDir: e2eDir, loader: 'js' },
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    conditions,
    mainFields: [],
    external: ['@sturdysocket/*'],
    logLevel: 'silent',
  });
  const entry = Object.keys(result.metafile.inputs).find((input) =>
    input.includes('packages/sturdysocket/dist/runtime/'),
  );
  if (entry === undefined) throw new Error(`${specifier} resolved to nothing in dist/runtime/`);
  return entry.slice(entry.lastIndexOf('/') + 1);
}

describe('sturdysocket export conditions', () => {
  it.each([
    [['deno', 'node'], 'import', 'deno.js'],
    [['bun', 'node'], 'import', 'deno.js'], // Bun's WebSocket takes headers as Deno's does
    [['react-native'], 'import', 'browser.js'],
    [['worker', 'browser'], 'import', 'browser.js'],
    [['browser'], 'import', 'browser.js'],
    [['node'], 'import', 'node.js'],
    [[], 'import', 'browser.js'], // any other runtime: the WHATWG WebSocket
    [['node'], 'require', 'node.cjs'],
    [['browser'], 'require', 'browser.cjs'],
    [['deno', 'node'], 'require', 'deno.cjs'],
  ] as const)('conditions %j with %s resolve to dist/runtime/%s', async (conditions, kind, file) => {
    expect(await resolveWith('sturdysocket', [...conditions], kind)).toBe(file);
  });

  it.each([
    ['sturdysocket/browser', 'browser.js'],
    ['sturdysocket/deno', 'deno.js'],
    ['sturdysocket/node', 'node.js'],
  ])('the %s subpath resolves to dist/runtime/%s whatever the runtime', async (specifier, file) => {
    expect(await resolveWith(specifier, ['node'])).toBe(file);
    expect(await resolveWith(specifier, ['browser'])).toBe(file);
  });
});
