#!/usr/bin/env node
// Builds the API reference from the TSDoc (TypeDoc, into docs/api/) with every warning an
// error — broken {@link}s, exported types that reference unexported ones, README links that
// point nowhere — then checks every relative link in the repository's Markdown.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const typedoc = spawnSync('pnpm', ['exec', 'typedoc'], { cwd: root, stdio: 'inherit' });
let failures = typedoc.status === 0 ? 0 : 1;
if (failures) console.error('✗ TypeDoc reported errors or warnings (above)');
else console.log('✓ API reference built in docs/api/');

function markdownFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (['node_modules', 'dist', '.git', '.tools', '.reports', 'api', 'test-results'].includes(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

let links = 0;
for (const file of markdownFiles(root)) {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
    links++;
    const path = join(dirname(file), decodeURIComponent(target.split('#')[0]));
    if (!existsSync(path)) {
      failures++;
      console.error(`✗ ${relative(root, file)}: broken link ${target}`);
    }
  }
}
console.log(`${failures === 0 ? '✓' : '✗'} ${links} relative Markdown links checked`);
process.exit(failures === 0 ? 0 : 1);
