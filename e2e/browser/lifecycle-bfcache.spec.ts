// Lifecycle signals from a real trip through Chromium's back-forward cache: leaving the page hides
// and freezes it (pagehide, visibilitychange, freeze), going back thaws and shows it (resume,
// visibilitychange, pageshow with persisted), in the order Chromium dispatches them.
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.js';

// Playwright turns the back-forward cache off by default; this file needs it.
test.use({ launchOptions: { ...chromiumLaunchOptions, ignoreDefaultArgs: ['--disable-back-forward-cache'] } });

function origin(): string {
  const value = process.env.STURDY_E2E_ORIGIN;
  if (value === undefined) throw new Error('global-setup did not run');
  return value;
}

test('signals pagehide, hidden and freeze on leaving; resume, visible and pageshow on return', async ({ page }) => {
  await page.goto(`${origin()}/`);
  await page.waitForFunction(() => 'sturdy' in window);
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  await page.goto(`${origin()}/other.html`);
  // A page restored from the bfcache fires no new load event, so wait only for the commit.
  await page.goBack({ waitUntil: 'commit' });
  await page.waitForFunction(() => 'sturdy' in window);
  // The same document came back (from the bfcache), not a reload: its time origin is unchanged.
  expect(await page.evaluate(() => performance.timeOrigin)).toBe(timeOrigin);
  await expect
    .poll(() => page.evaluate(() => window.sturdy.signals()))
    .toEqual(['pagehide', 'hidden', 'freeze', 'resume', 'visible', 'pageshow']);
});
