// The browser adapter's own promises, checked in Chromium with real platform events: capabilities
// reported as absent, headers refused, and the network lifecycle signals. The back-forward cache,
// visibility and freeze/resume signals are in lifecycle-bfcache.spec.ts.
import { expect, type Page, test } from '@playwright/test';

function origin(): string {
  const value = process.env.STURDY_E2E_ORIGIN;
  if (value === undefined) throw new Error('global-setup did not run');
  return value;
}

async function openHarness(page: Page): Promise<void> {
  await page.goto(`${origin()}/`);
  await page.waitForFunction(() => 'sturdy' in window);
}

test('reports headers, ping and handshake details as absent', async ({ page }) => {
  await openHarness(page);
  expect(await page.evaluate(() => window.sturdy.capabilities)).toEqual({
    headers: false,
    ping: false,
    handshakeDetails: false,
  });
});

test('refuses handshake headers with a TypeError instead of dropping them', async ({ page }) => {
  await openHarness(page);
  const outcome = await page.evaluate(() => window.sturdy.headersError());
  expect(outcome).toMatch(/^TypeError: .*cannot send custom handshake headers/);
  expect(outcome).not.toContain('secret');
});

test('signals offline and online from the network state', async ({ page, context }) => {
  await openHarness(page);
  expect(await page.evaluate(() => window.sturdy.online())).toBe(true);
  await context.setOffline(true);
  await expect.poll(() => page.evaluate(() => window.sturdy.signals())).toEqual(['offline']);
  expect(await page.evaluate(() => window.sturdy.online())).toBe(false);
  await context.setOffline(false);
  await expect.poll(() => page.evaluate(() => window.sturdy.signals())).toEqual(['offline', 'online']);
  expect(await page.evaluate(() => window.sturdy.online())).toBe(true);
});

test('stops signalling after unsubscribe', async ({ page, context }) => {
  await openHarness(page);
  await page.evaluate(() => window.sturdy.stopListening());
  await context.setOffline(true);
  await context.setOffline(false);
  // A listener added after ours sees the events, so they were dispatched; ours stayed silent.
  const seen = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        window.addEventListener('offline', () => resolve('offline dispatched'), { once: true });
        window.dispatchEvent(new Event('offline'));
      }),
  );
  expect(seen).toBe('offline dispatched');
  expect(await page.evaluate(() => window.sturdy.signals())).toEqual([]);
});
