// The dashboard in a real browser, end to end: a new user signs up and adds a site through the UI, the setup page
// waits for the first pageview; three people (different browsers, user agents and viewports) click through a small
// SPA that carries the real script, one sends a custom event; then the dashboard must show the figures those visits
// imply, filter by a clicked row (chip + URL + back button), update the live counter by itself, export a panel as
// CSV, and render visitor text as text. Screenshots land in e2e/output/. Needs `npm run build` first.
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHROME_UA, startTestEesee, type TestEesee } from '../packages/server/test/support/test-eesee.js';
import { containsText, hasCount, hasText, launchChromium } from './support/browser.js';
import { startFixtureSite, type FixtureSite } from './support/fixture-site.js';

const OUTPUT_DIR = fileURLToPath(new URL('./output/', import.meta.url));
const EMAIL = 'ada@example.com';
const PASSWORD = 'a long enough password';
const HOSTILE_EVENT = '<img src=x onerror="window.__xss=1">';

const IPHONE_SAFARI_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const LINUX_FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const MAC_CHROME_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** What each person does: the pages they open in order (SPA navigation after the first) and whether they click "Sign up". */
interface Visit {
  ua: string;
  context: BrowserContextOptions;
  pages: string[];
  signup: boolean;
}

const LINKS: Record<string, string> = { '/pricing': 'Pricing', '/docs': 'Docs', '/': 'Home' };

const VISITS: Visit[] = [
  { ua: CHROME_UA, context: { viewport: { width: 1440, height: 900 }, screen: { width: 1920, height: 1080 }, locale: 'en-US' }, pages: ['/', '/pricing', '/docs'], signup: true },
  {
    ua: IPHONE_SAFARI_UA,
    context: { viewport: { width: 390, height: 844 }, screen: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, locale: 'en-GB' },
    pages: ['/', '/pricing'],
    signup: false,
  },
  { ua: LINUX_FIREFOX_UA, context: { viewport: { width: 1280, height: 800 }, screen: { width: 1280, height: 800 }, locale: 'de-DE' }, pages: ['/'], signup: false },
];

/** The figures these visits imply, worked out from the script above rather than read from the server. */
function expectedFigures(visits: Visit[]) {
  const pageviews = visits.reduce((n, v) => n + v.pages.length, 0);
  // A bounce: fewer than 2 pageviews and no interactive event (DESIGN.md §6).
  const bounces = visits.filter((v) => v.pages.length < 2 && !v.signup).length;
  const byPage = new Map<string, number>();
  for (const v of visits) for (const p of new Set(v.pages)) byPage.set(p, (byPage.get(p) ?? 0) + 1);
  const withPricing = visits.filter((v) => v.pages.includes('/pricing'));
  return {
    visitors: visits.length,
    visits: visits.length,
    pageviews,
    viewsPerVisit: Math.round((pageviews / visits.length) * 100) / 100,
    bounceRate: Math.round((bounces / visits.length) * 1000) / 10,
    byPage,
    signups: visits.filter((v) => v.signup).length,
    pricing: { visitors: withPricing.length, pageviews: withPricing.reduce((n, v) => n + v.pages.filter((p) => p === '/pricing').length, 0) },
  };
}

let eesee: TestEesee;
let base: string;
let site: FixtureSite | undefined;
let siteId: number;
let dashboard: Page;
const browsers: Browser[] = [];
/** Uncaught errors in the dashboard page; the last test requires none. */
const pageErrors: string[] = [];
/** Track requests the server answered: [user agent, type, path, status]. */
const tracked: { ua: string; type: string; path: string; status: number }[] = [];

async function launch(userAgent?: string): Promise<Browser> {
  const browser = await launchChromium(userAgent);
  browsers.push(browser);
  return browser;
}

async function arrived(ua: string, type: string, path: string): Promise<void> {
  await vi.waitFor(
    () => {
      if (!tracked.some((t) => t.ua === ua && t.type === type && t.path === path && t.status < 300)) throw new Error(`no ${type} for ${path} from ${ua}`);
    },
    { timeout: 10_000, interval: 50 },
  );
}

/** One person's visit in their own browser; resolves when the server has every pageview (and the event). */
async function visit(v: Visit, extra?: (page: Page) => Promise<void>): Promise<void> {
  const browser = await launch(v.ua);
  const context = await browser.newContext({ ...v.context, userAgent: v.ua });
  const page = await context.newPage();
  await page.goto(`${site!.origin}${v.pages[0]}`);
  await arrived(v.ua, 'pageview', v.pages[0]!);
  for (const path of v.pages.slice(1)) {
    await page.getByRole('link', { name: LINKS[path], exact: true }).click();
    await page.waitForURL(`${site!.origin}${path}`);
    await arrived(v.ua, 'pageview', path);
  }
  if (v.signup) {
    await page.getByRole('button', { name: /Sign up/ }).click();
    await arrived(v.ua, 'event', v.pages[v.pages.length - 1]!);
  }
  await extra?.(page);
  await context.close();
}

const kpi = (metric: string) => dashboard.getByTestId(`kpi-${metric}`);

/** The rows of a panel as [label, ...figures]. */
async function panelRows(title: string): Promise<string[][]> {
  const panel = dashboard.getByRole('region', { name: title });
  await panel.locator('.bar-list').first().waitFor();
  return panel.locator('.bar-row').evaluateAll((rows) => rows.map((r) => [r.querySelector('.bar-label')!.textContent!.trim(), ...[...r.querySelectorAll('.bar-figure')].map((f) => f.textContent!.trim())]));
}

async function flush(): Promise<void> {
  await eesee.writers.events.flush();
}

beforeAll(async () => {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  eesee = await startTestEesee();
  eesee.app.addHook('onResponse', async (request, reply) => {
    if (!request.url.startsWith('/api/track')) return;
    const body = (request.body ?? {}) as { type?: unknown; url?: unknown };
    let path = '';
    try {
      path = new URL(String(body.url)).pathname;
    } catch {
      // not a URL: the status says so
    }
    tracked.push({ ua: String(request.headers['user-agent']), type: typeof body.type === 'string' ? body.type : 'pageview', path, status: reply.statusCode });
  });
  await eesee.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(eesee.app.server.address() as AddressInfo).port}`;
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light', acceptDownloads: true });
  dashboard = await context.newPage();
  dashboard.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await site?.close();
  await eesee?.stop();
});

describe('the dashboard in a real browser', () => {
  it('signs up, adds a site and shows the snippet, waiting for the first pageview', async () => {
    await dashboard.goto(`${base}/`);
    // A fresh install has no account yet: the first visitor lands on sign-up.
    await dashboard.waitForURL(`${base}/signup`);
    await dashboard.getByLabel('Name', { exact: true }).fill('Ada');
    await dashboard.getByLabel('E-mail').fill(EMAIL);
    await dashboard.getByLabel('Password').fill(PASSWORD);
    await dashboard.getByRole('button', { name: 'Create account' }).click();
    await dashboard.getByRole('heading', { name: 'Sites', exact: true }).waitFor();
    await dashboard.getByText('No sites yet').waitFor();

    await dashboard.getByRole('link', { name: '+ Add site' }).click();
    await dashboard.getByLabel('Domain').fill('http://127.0.0.1/');
    await dashboard.getByLabel('Name', { exact: true }).fill('Acme');
    await dashboard.getByLabel('Time zone').selectOption('UTC');
    await dashboard.getByRole('button', { name: 'Add site' }).click();
    await dashboard.waitForURL(/\/sites\/\d+\/setup$/);
    siteId = Number(/\/sites\/(\d+)\/setup/.exec(dashboard.url())![1]);
    await hasText(dashboard.locator('code').first(), `<script defer src="${base}/api/script.js" data-site-id="${siteId}"></script>`);
    await containsText(dashboard.getByTestId('setup-status'), 'Waiting for the first pageview');
    await dashboard.screenshot({ path: `${OUTPUT_DIR}dashboard-setup-waiting.png` });
  });

  it('turns the setup status green by itself when the first visitor arrives', async () => {
    site = await startFixtureSite({ scriptSrc: `${base}/api/script.js`, siteId, outboundUrl: 'https://partner.example.org/', queuedEvent: false });
    await visit(VISITS[0]!);
    // No reload: the live stream (or the periodic re-check) flips the status.
    await containsText(dashboard.getByTestId('setup-status'), 'Receiving data', 20_000);
    await dashboard.screenshot({ path: `${OUTPUT_DIR}dashboard-setup-receiving.png` });
    await visit(VISITS[1]!);
    await visit(VISITS[2]!);
    await flush();
  });

  it('shows the KPI figures the three visits imply', async () => {
    const want = expectedFigures(VISITS);
    await dashboard.getByRole('link', { name: 'Open the dashboard →' }).click();
    await dashboard.waitForURL(`${base}/sites/${siteId}`);
    await hasText(kpi('visitors'), String(want.visitors));
    await hasText(kpi('visits'), String(want.visits));
    await hasText(kpi('pageviews'), String(want.pageviews));
    await hasText(kpi('views_per_visit'), String(want.viewsPerVisit));
    await hasText(kpi('bounce_rate'), `${want.bounceRate}%`);
    await hasText(kpi('visit_duration'), /^(\d+s|\d+m( \d+s)?)$/);
    // The previous 30 days are empty: no change to show, for counts and for rates over visits alike.
    for (const m of ['visitors', 'bounce_rate', 'visit_duration']) await hasText(dashboard.locator(`[data-metric="${m}"] .kpi-change`), '–');
    await dashboard.getByText('UTC', { exact: false }).first().waitFor();

    const pages = await panelRows('Pages');
    expect(pages.map((r) => [r[0], r[1]])).toEqual([...want.byPage].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([p, n]) => [p, String(n)]));
    const browsersTab = await panelRows('Devices');
    expect(browsersTab.map((r) => r[0]).sort()).toEqual(['Chrome', 'Firefox', 'Safari']);
    const events = await panelRows('Custom events');
    expect(events).toEqual([['Signup', String(want.signups), String(want.signups)]]);
    // A property of the custom event, chosen from the names listed; the choice is kept in the URL.
    const eventsPanel = dashboard.getByRole('region', { name: 'Custom events' });
    await eventsPanel.getByRole('tab', { name: 'Properties' }).click();
    // First the names of the properties sent, then the values of the one clicked.
    await hasText(eventsPanel.locator('.bar-label').first(), 'plan');
    await eventsPanel.getByRole('button', { name: /^plan/ }).click();
    await hasText(eventsPanel.locator('.bar-label').first(), 'pro');
    expect(new URL(dashboard.url()).searchParams.get('prop')).toBe('plan');
    await dashboard.goto(`${base}/sites/${siteId}`);
  });

  it('filters by a clicked row: chip, URL, back and forward buttons, removal', async () => {
    const want = expectedFigures(VISITS);
    await dashboard.getByRole('region', { name: 'Pages' }).getByRole('button', { name: /^\/pricing/ }).click();
    await hasText(dashboard.getByTestId('filter-chip'), /Page is \/pricing/);
    expect(new URL(dashboard.url()).search).toBe('?f=is,page,/pricing');
    await hasText(kpi('visitors'), String(want.pricing.visitors));
    await hasText(kpi('pageviews'), String(want.pricing.pageviews));

    await dashboard.goBack();
    await hasCount(dashboard.getByTestId('filter-chip'), 0);
    await hasText(kpi('visitors'), String(want.visitors));
    await dashboard.goForward();
    await hasCount(dashboard.getByTestId('filter-chip'), 1);
    await hasText(kpi('visitors'), String(want.pricing.visitors));

    // A shared link opens the same view.
    await dashboard.reload();
    await hasText(dashboard.getByTestId('filter-chip'), /Page is \/pricing/);
    await hasText(kpi('visitors'), String(want.pricing.visitors));

    await dashboard.getByRole('button', { name: /Remove filter: Page is \/pricing/ }).click();
    await hasCount(dashboard.getByTestId('filter-chip'), 0);
    expect(new URL(dashboard.url()).search).toBe('');
    await hasText(kpi('visitors'), String(want.visitors));
  });

  it('finds rows in the details list and exports a panel as CSV', async () => {
    const pagesPanel = dashboard.getByRole('region', { name: 'Pages' });
    await pagesPanel.getByRole('button', { name: 'Details' }).click();
    const dialog = dashboard.getByRole('dialog');
    await dialog.getByRole('searchbox').fill('pric');
    await hasCount(dialog.locator('.bar-row'), 1);
    await hasText(dialog.locator('.bar-row .bar-label'), '/pricing');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await hasCount(dialog, 0);

    const [download] = await Promise.all([dashboard.waitForEvent('download'), pagesPanel.getByRole('button', { name: 'Export Top pages as CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^127\.0\.0\.1-page-30d\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '');
    const want = expectedFigures(VISITS);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Page,Visitors,Pageviews');
    const pageviewsOf = (p: string) => VISITS.reduce((n, v) => n + v.pages.filter((q) => q === p).length, 0);
    expect(lines.slice(1).sort()).toEqual([...want.byPage].map(([p, n]) => `${p},${n},${pageviewsOf(p)}`).sort());
  });

  it('updates the live counter without a reload, and renders visitor text as text', async () => {
    await hasText(dashboard.getByTestId('live-visitors'), String(VISITS.length), 15_000);
    const fourth: Visit = { ua: MAC_CHROME_UA, context: { viewport: { width: 1366, height: 768 }, locale: 'fr-FR' }, pages: ['/docs'], signup: false };
    await visit(fourth, async (page) => {
      await page.evaluate((name) => (window as unknown as { eesee: { track: (n: string) => void } }).eesee.track(name), HOSTILE_EVENT);
      await arrived(MAC_CHROME_UA, 'event', '/docs');
      // An outbound click: the partner site is answered locally (no network here).
      await page.context().route('https://partner.example.org/**', (route) => route.fulfill({ status: 204 }));
      await page.getByRole('link', { name: 'Our partner' }).click();
      await arrived(MAC_CHROME_UA, 'outbound', '/docs');
    });
    // The count is pushed by the server every few seconds; the page is not reloaded.
    await hasText(dashboard.getByTestId('live-visitors'), String(VISITS.length + 1), 20_000);

    await flush();
    await dashboard.reload();
    const events = dashboard.getByRole('region', { name: 'Custom events' });
    await hasCount(events.locator('.bar-label', { hasText: HOSTILE_EVENT }), 1);
    expect(await events.locator('img').count()).toBe(0);
    expect(await dashboard.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // Outbound clicks have their own tab, listing the links.
    await events.getByRole('tab', { name: 'Outbound links' }).click();
    await hasText(events.locator('.bar-label').first(), 'https://partner.example.org/');
  });

  it('renders in both themes and at 375 px wide (screenshots in e2e/output)', async () => {
    await dashboard.reload();
    await hasText(kpi('visitors'), String(VISITS.length + 1));
    await dashboard.locator('.world-map svg path').first().waitFor();
    await dashboard.screenshot({ path: `${OUTPUT_DIR}dashboard-light.png`, fullPage: true });
    await dashboard.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await dashboard.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await dashboard.screenshot({ path: `${OUTPUT_DIR}dashboard-dark.png`, fullPage: true });
    // The choice survives a reload.
    await dashboard.reload();
    expect(await dashboard.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

    await dashboard.setViewportSize({ width: 375, height: 800 });
    await hasText(kpi('visitors'), String(VISITS.length + 1));
    await dashboard.screenshot({ path: `${OUTPUT_DIR}dashboard-375-dark.png`, fullPage: true });
    // Nothing sticks out sideways: the page never scrolls horizontally.
    const sticking = await dashboard.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !el.closest('.chart, pre'))
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
        .slice(0, 5);
    });
    expect(sticking).toEqual([]);
    expect(await dashboard.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await dashboard.getByRole('button', { name: 'Switch to light theme' }).click();
    expect(pageErrors).toEqual([]);
  });
});
