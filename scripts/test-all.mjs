#!/usr/bin/env node
// The README's test command. Runs every suite the repository has — lint, types, builds, package
// checks, unit and Node end-to-end tests (vitest), real Chromium (Playwright), Deno, Bun, the
// examples and the docs — and ends with one line `N passed, N failed` summed over all of them.
// Exits non-zero if anything failed. `--only name,name` runs a subset (see STEPS below).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = join(root, '.reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const bun = join(root, '.tools/bun/node_modules/.bin/bun');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg === -1 ? undefined : new Set(process.argv[onlyArg + 1]?.split(','));

/** Runs a command in the repo root, streaming its output; returns its exit code. */
function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) console.error(result.error.message);
  return result.status ?? 1;
}

const hasFiles = (dir, pattern) =>
  existsSync(join(root, dir)) &&
  readdirSync(join(root, dir), { recursive: true }).some((name) => pattern.test(String(name)));

/** Counts test cases in a JUnit XML report. */
function junitCounts(file) {
  const xml = readFileSync(file, 'utf8');
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const match of xml.matchAll(/<testcase\b[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = match[1] ?? '';
    if (/<(failure|error)\b/.test(body)) counts.failed++;
    else if (/<skipped\b/.test(body)) counts.skipped++;
    else counts.passed++;
  }
  return counts;
}

/** Every step: a name, whether it applies, how to run it, and how to count its results. */
const STEPS = [
  { name: 'lint', run: () => run('pnpm', ['biome', 'check', '.']) },
  { name: 'build', run: () => run('pnpm', ['-r', '--filter', './packages/*', 'run', 'build']) },
  { name: 'typecheck', run: () => run('pnpm', ['-r', '--if-present', 'run', 'typecheck']) },
  {
    name: 'package-checks',
    // publint --strict and attw --pack on every published package.
    run: () => run('pnpm', ['-r', '--filter', './packages/*', '--workspace-concurrency=1', 'run', 'check:package']),
  },
  {
    name: 'vitest',
    report: 'vitest.json',
    run: () =>
      run('pnpm', [
        'vitest',
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${join(reports, 'vitest.json')}`,
      ]),
    count: (file) => {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      return {
        passed: json.numPassedTests,
        failed: json.numFailedTests,
        skipped: json.numPendingTests + json.numTodoTests,
      };
    },
  },
  {
    name: 'playwright',
    when: () => existsSync(join(root, 'e2e/playwright.config.ts')),
    report: 'playwright.json',
    run: () =>
      run('pnpm', ['exec', 'playwright', 'test', '--config', 'e2e/playwright.config.ts'], {
        PLAYWRIGHT_JSON_OUTPUT_FILE: join(reports, 'playwright.json'),
      }),
    count: (file) => {
      const { stats } = JSON.parse(readFileSync(file, 'utf8'));
      return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
    },
  },
  {
    name: 'deno',
    when: () => hasFiles('e2e/deno', /\.test\.ts$/),
    report: 'deno.xml',
    run: () =>
      // Type-checked against the built declarations. The workspace links resolve to local files,
      // not npm packages, and for local files Deno does not map a declaration chunk's
      // `./chunk.js` import to its `.d.ts` as it does inside an npm package; sloppy imports do
      // that mapping, so the check sees what a user of `npm:sturdysocket` sees.
      run('pnpm', [
        'exec',
        'deno',
        'test',
        '--unstable-sloppy-imports',
        '--allow-net=127.0.0.1,localhost',
        '--allow-read',
        '--allow-run',
        '--allow-env',
        `--junit-path=${join(reports, 'deno.xml')}`,
        'e2e/deno/',
      ]),
    count: junitCounts,
  },
  {
    name: 'bun',
    when: () => hasFiles('e2e/bun', /\.test\.ts$/),
    report: 'bun.xml',
    run: () => run(bun, ['test', './e2e/bun/', '--reporter=junit', `--reporter-outfile=${join(reports, 'bun.xml')}`]),
    count: junitCounts,
  },
  {
    name: 'examples',
    when: () => existsSync(join(root, 'scripts/run-examples.mjs')),
    report: 'examples.json',
    run: () => run('node', ['scripts/run-examples.mjs']),
    count: (file) => ({ ...JSON.parse(readFileSync(file, 'utf8')), skipped: 0 }),
  },
  {
    name: 'docs',
    when: () => existsSync(join(root, 'scripts/check-docs.mjs')),
    run: () => run('node', ['scripts/check-docs.mjs']),
  },
];

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
for (const step of STEPS) {
  if (only && !only.has(step.name)) continue;
  if (step.when && !step.when()) continue;
  console.log(`\n━━ ${step.name} ━━`);
  const code = step.run();
  let counts;
  if (step.count) {
    const file = join(reports, step.report);
    try {
      counts = step.count(file);
    } catch {
      counts = { passed: 0, failed: 1, skipped: 0 }; // the runner died before writing its report
    }
    // A runner that exits non-zero with no failed test counted still failed (a crash, a bad config).
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
  } else {
    counts = code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  }
  for (const key of Object.keys(totals)) totals[key] += counts[key] ?? 0;
  lines.push(
    `${step.name.padEnd(16)} ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
  );
}

console.log('\n━━ summary ━━');
for (const line of lines) console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed === 0 ? 0 : 1);
