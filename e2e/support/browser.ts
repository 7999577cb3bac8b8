// Headless Debian Chromium for the e2e tests, and waits for what a page fills in asynchronously.
import { chromium, type Browser, type Locator } from 'playwright-core';
import { vi } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A browser started with the flags this machine needs; with `userAgent`, the whole browser uses it (the context
 * override does not reach keepalive beacons sent while a page unloads).
 */
export function launchChromium(userAgent?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...(userAgent ? [`--user-agent=${userAgent}`] : [])],
  });
}

async function waitForText(locator: Locator, matches: (text: string) => boolean, what: string, timeout: number): Promise<void> {
  let last: string | undefined;
  await vi
    .waitFor(
      async () => {
        last = (await locator.textContent({ timeout: 1000 }))?.trim();
        if (!matches(last ?? '')) throw new Error('not yet');
      },
      { timeout, interval: 100 },
    )
    .catch(() => {
      throw new Error(`expected text ${what}, got ${JSON.stringify(last)}`);
    });
}

/** Waits until the element's text is exactly `want` (or matches it). */
export function hasText(locator: Locator, want: string | RegExp, timeout = 10_000): Promise<void> {
  return waitForText(locator, (t) => (typeof want === 'string' ? t === want : want.test(t)), String(want), timeout);
}

/** Waits until the element's text contains `want` (or matches it). */
export function containsText(locator: Locator, want: string | RegExp, timeout = 10_000): Promise<void> {
  return waitForText(locator, (t) => (typeof want === 'string' ? t.includes(want) : want.test(t)), `containing ${String(want)}`, timeout);
}

export async function hasCount(locator: Locator, want: number, timeout = 10_000): Promise<void> {
  let last = -1;
  await vi
    .waitFor(
      async () => {
        last = await locator.count();
        if (last !== want) throw new Error('not yet');
      },
      { timeout, interval: 100 },
    )
    .catch(() => {
      throw new Error(`expected ${want} elements, found ${last}`);
    });
}
