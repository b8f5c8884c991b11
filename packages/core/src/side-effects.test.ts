import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('@sturdysocket/core is runtime-free and side-effect free', () => {
  it('imports no node: module and touches no runtime global at the top level', () => {
    for (const file of sources(import.meta.dirname)) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/from ['"]node:/);
      expect(text, file).not.toMatch(/\b(?:window|document|Deno|Bun|process)\./);
    }
  });
  it('adds nothing to globalThis when imported', async () => {
    const before = new Set(Object.getOwnPropertyNames(globalThis));
    vi.resetModules();
    const core = await import('./index.js');
    expect(typeof core.generateKey).toBe('function');
    const added = Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name));
    expect(added).toEqual([]);
  });
});
