// Writes a package.json with the workspace's uniform shape for packages/<dir>.
// Usage: node scripts/new-package.mjs <dir> <name> "<description>" [entry ...]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const [dir, name, description, ...entries] = process.argv.slice(2);
const subpaths = entries.length > 0 ? entries : ['index'];
const exportsMap = {};
for (const entry of subpaths) {
  const key = entry === 'index' ? '.' : `./${entry}`;
  exportsMap[key] = {
    '@sturdysocket/source': `./src/${entry}.ts`,
    import: { types: `./dist/${entry}.d.ts`, default: `./dist/${entry}.js` },
    require: { types: `./dist/${entry}.d.cts`, default: `./dist/${entry}.cjs` },
  };
}
exportsMap['./package.json'] = './package.json';
const pkg = {
  name,
  version: '0.1.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  exports: exportsMap,
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.cts',
  files: ['dist', 'src', '!src/**/*.test.ts', '!src/**/*.test-d.ts'],
  engines: { node: '>=20' },
  scripts: {
    build: `tsup ${subpaths.map((e) => `src/${e}.ts`).join(' ')} --format esm,cjs --dts --clean --target es2022`,
    typecheck: 'tsc -p tsconfig.json',
    test: 'vitest run',
    'check:package': 'publint --strict && attw --pack . --profile node16',
  },
};
mkdirSync(`packages/${dir}/src`, { recursive: true });
writeFileSync(`packages/${dir}/package.json`, `${JSON.stringify(pkg, null, 2)}\n`);
if (!existsSync(`packages/${dir}/tsconfig.json`)) {
  writeFileSync(
    `packages/${dir}/tsconfig.json`,
    `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { types: ['node'] }, include: ['src'] }, null, 2)}\n`,
  );
}
