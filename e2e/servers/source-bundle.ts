// Workspace sources bundled by esbuild for a child Node process (another Node major, or a
// process of its own that must exit by itself), with no build of dist needed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** One bundled ES module in a temporary directory of its own. */
export interface SourceBundle {
  /** The path of the bundle, to give to `node`. */
  readonly file: string;
  /** Deletes the temporary directory. */
  remove(): void;
}

/**
 * Bundles `entry` (a path from the repository root) into one ES module for Node 20, resolving
 * workspace packages to their `src/` by the `@sturdysocket/source` condition, in a fresh temporary
 * directory named after `name`. `options` adds to or overrides the esbuild settings.
 */
export async function bundleSource(entry: string, name: string, options: BuildOptions = {}): Promise<SourceBundle> {
  const dir = mkdtempSync(join(tmpdir(), `sturdysocket-${name}-`));
  const file = join(dir, `${name}.mjs`);
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await build({
      entryPoints: [join(ROOT, entry)],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@sturdysocket/source'],
      logLevel: 'silent',
      ...options,
    });
  } catch (error) {
    remove();
    throw error;
  }
  return { file, remove };
}
