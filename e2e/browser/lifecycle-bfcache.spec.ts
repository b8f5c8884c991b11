// Lifecycle signals from a real trip through Chromium's back-forward cache: leaving the page hides
// and freezes it (pagehide, visibilitychange, freeze), going back thaws and shows it (resume,
// visibilitychange, pageshow with persisted), in the order Chromium dispatches them.
import { expect, type Page, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.js';

// Playwright turns the back-forward cache off by default; this file needs it.
test.use({ launchOptions: { ...chromiumLaunchOptions, ignoreDefaultArgs: ['--disable-back-forward-cache'] } });

function origin(): string {
  const value = process.env.STURDY_E2E_ORIGIN;
  if (value === undefined) throw new Error('global-setup did not run');
  return value;
}

/** Leaves the page for another and goes back, checking the page came back from the bfcache. */
async function tripThroughBackForwardCache(page: Page): Promise<void> {
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  await page.goto(`${origin()}/other.html`);
  // A page restored from the bfcache fires no new load event, so wait only for the commit.
  await page.goBack({ waitUntil: 'commit' });
  await page.waitForFunction(() => 'sturdy' in window);
  // The same document came back (from the bfcache), not a reload: its time origin is unchanged.
  expect(await page.evaluate(() => performance.timeOrigin)).toBe(timeOrigin);
}

test('signals pagehide, hidden and freeze on leaving; resume, visible and pageshow on return', async ({ page }) => {
  await page.goto(`${origin()}/`);
  await page.waitForFunction(() => 'sturdy' in window);
  await tripThroughBackForwardCache(page);
  await expect
    .poll(() => page.evaluate(() => window.sturdy.signals()))
    .toEqual(['pagehide', 'hidden', 'freeze', 'resume', 'visible', 'pageshow']);
});

test('an open ReconnectingWebSocket closes as the page enters the back-forward cache, and reconnects on return', async ({
  page,
}) => {
  await page.goto(`${origin()}/`);
  await page.waitForFunction(() => 'sturdy' in window);
  await page.evaluate(() => window.sturdy.reconnect.startAt(`ws://${location.host}/echo`));
  await expect.poll(() => page.evaluate(() => window.sturdy.reconnect.log())).toEqual(['open']);
  await tripThroughBackForwardCache(page);
  // Closed cleanly as the page left, and back at once. (Left open, Chromium drops the socket in
  // the cache and reports the close only after pageshow, so the loop waited out its 60 s backoff.)
  await expect
    .poll(() => page.evaluate(() => window.sturdy.reconnect.log()), { timeout: 5_000 })
    .toEqual(['open', 'waiting', 'connecting', 'open']);
  expect(await page.evaluate(() => window.sturdy.reconnect.closes())).toEqual(['1000 pagehide true']);
  expect(await page.evaluate(() => window.sturdy.reconnect.echo('after the bfcache'))).toBe('after the bfcache');
  await page.evaluate(() => window.sturdy.reconnect.close());
});
