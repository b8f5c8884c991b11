// The shared behaviour suite in Chromium, against the built umbrella: every case in a page, and
// every case again inside a module Web Worker.
import { expect, type Page, test } from '@playwright/test';
import { behaviourCases } from '../shared/behaviour-suite.js';

function site(): { origin: string; refusedPort: number } {
  const origin = process.env.STURDY_E2E_ORIGIN;
  const refusedPort = Number(process.env.STURDY_E2E_REFUSED_PORT);
  if (origin === undefined || !Number.isInteger(refusedPort)) throw new Error('global-setup did not run');
  return { origin, refusedPort };
}

async function openHarness(page: Page): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${site().origin}/`);
  await page.waitForFunction(() => 'sturdy' in window);
  expect(errors).toEqual([]);
}

test.describe('page', () => {
  for (const behaviour of behaviourCases) {
    test(behaviour.name, async ({ page }) => {
      await openHarness(page);
      await page.evaluate(([name, refusedPort]) => window.sturdy.runCase(name, refusedPort), [
        behaviour.name,
        site().refusedPort,
      ] as const);
    });
  }
});

test.describe('Web Worker', () => {
  test('the umbrella loads in a Worker: no window, no document, native capabilities, headers refused', async ({
    page,
  }) => {
    await openHarness(page);
    const environment = await page.evaluate(() => window.sturdy.workerEnvironment());
    expect(environment).toEqual({
      hasWindow: false,
      hasDocument: false,
      capabilities: { headers: false, ping: false, handshakeDetails: false },
      online: true,
      headersError: 'TypeError',
    });
  });

  for (const behaviour of behaviourCases) {
    test(behaviour.name, async ({ page }) => {
      await openHarness(page);
      await page.evaluate(([name, refusedPort]) => window.sturdy.runCaseInWorker(name, refusedPort), [
        behaviour.name,
        site().refusedPort,
      ] as const);
    });
  }
});
