// The reconnect layer driven by this adapter's lifecycle signals in Chromium: after a network
// outage, coming back online retries at once instead of after the 60 s backoff.
import { expect, test } from '@playwright/test';

test('a waiting ReconnectingWebSocket retries at once when the network comes back', async ({ page, context }) => {
  const origin = process.env.STURDY_E2E_ORIGIN;
  const refusedPort = Number(process.env.STURDY_E2E_REFUSED_PORT);
  if (origin === undefined) throw new Error('global-setup did not run');
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => 'sturdy' in window);

  await page.evaluate((port) => window.sturdy.reconnect.start(port), refusedPort);
  // The constructor's own `connecting` precedes the listener; the refused attempt then waits 60 s.
  await expect.poll(() => page.evaluate(() => window.sturdy.reconnect.log())).toEqual(['waiting', 'reconnecting']);

  await context.setOffline(true);
  await page.evaluate(() => window.sturdy.reconnect.pointAtEchoServer());
  await context.setOffline(false);
  // Well inside the 60 s backoff: only the `online` signal can have started this attempt.
  await expect
    .poll(() => page.evaluate(() => window.sturdy.reconnect.log()), { timeout: 5_000 })
    .toEqual(['waiting', 'reconnecting', 'connecting', 'open']);
  expect(await page.evaluate(() => window.sturdy.reconnect.echo('through the reconnect layer'))).toBe(
    'through the reconnect layer',
  );
  await page.evaluate(() => window.sturdy.reconnect.close());
});
