// Playwright runs the built umbrella in Debian's Chromium: a page and a Web Worker served from a
// local origin, talking to e2e/shared/behaviour-server.mjs (started by ./browser/global-setup.ts).
// Run from the repository root after building the packages:
//   pnpm exec playwright test -c e2e/playwright.config.ts
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './browser/chromium.js';

export default defineConfig({
  testDir: './browser',
  testMatch: '**/*.spec.ts',
  globalSetup: './browser/global-setup.ts',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['json', { outputFile: '../.reports/playwright.json' }]],
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions,
    trace: 'off',
  },
});
