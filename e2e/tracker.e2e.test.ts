// The real tracker in a real browser, end to end: a customer's SPA on its own origin embeds /api/script.js from an
// in-process Eesee listening on a real port; Chromium (playwright-core) visits it as three people and one headless
// bot; the assertions read what the events store holds. Needs `npm run build` first (the server serves dist/script.js).
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHROME_UA, createSite, signUp, startTestEesee, type TestEesee } from '../packages/server/test/support/test-eesee.js';
import { launchChromium } from './support/browser.js';
import { startFixtureSite, type FixtureSite } from './support/fixture-site.js';

const OUTPUT_DIR = fileURLToPath(new URL('./output/', import.meta.url));
const OUTBOUND_URL = 'https://partner.example.org/welcome?ref=acme';
const HN_REFERRER = 'https://news.ycombinator.com/item?id=4242';

const IPHONE_SAFARI_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const LINUX_FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

/** The three people, and what the server must make of them (device classes: <576 mobile, <992 tablet, <1440 laptop). */
const VISITORS = {
  windowsChrome: {
    context: { userAgent: CHROME_UA, viewport: { width: 1440, height: 900 }, screen: { width: 1920, height: 1080 }, locale: 'en-US' },
    expected: { browser: 'Chrome', os: 'Windows', device: 'desktop', screen: '1920x1080', language: 'en-US' },
  },
  iphoneSafari: {
    context: {
      userAgent: IPHONE_SAFARI_UA,
      viewport: { width: 390, height: 844 },
      screen: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
      locale: 'en-GB',
    },
    expected: { browser: 'Safari', os: 'iOS', device: 'mobile', screen: '390x844', language: 'en-GB' },
  },
  linuxFirefox: {
    context: { userAgent: LINUX_FIREFOX_UA, viewport: { width: 1280, height: 800 }, screen: { width: 1280, height: 800 }, locale: 'de-DE' },
    expected: { browser: 'Firefox', os: 'Linux', device: 'laptop', screen: '1280x800', language: 'de-DE' },
  },
} satisfies Record<string, { context: BrowserContextOptions; expected: Record<string, string> }>;

/** What the Eesee server was asked, recorded by a Fastify hook. */
interface ApiRequest {
  method: string;
  url: string;
  status: number;
  contentType: string;
  hasCookie: boolean;
  origin: string;
  userAgent: string;
  /** For /api/track: the payload's type and the path of its url. */
  type: string;
  path: string;
}

let eesee: TestEesee;
let siteId: number;
let site: FixtureSite;
const browsers: Browser[] = [];
const apiRequests: ApiRequest[] = [];
/** What the browser did on the fixture page, checked by the tests below. */
const seen = { outboundNavigations: 0, downloadName: '', urlAfterOutbound: '', expectedDocsScrollDepth: -1 };

type Row = Record<string, unknown>;

function describePayload(body: unknown): { type: string; path: string } {
  if (typeof body !== 'object' || body === null) return { type: '', path: '' };
  const { type, url } = body as { type?: unknown; url?: unknown };
  let path = '';
  try {
    path = new URL(String(url)).pathname;
  } catch {
    // not a URL: the server answers 400, which the last test reports
  }
  return { type: typeof type === 'string' ? type : 'pageview', path };
}

function query(sql: string, params: Record<string, string | number> = {}): Promise<Row[]> {
  return eesee.events.query(sql, { site: siteId, ...params });
}

/** Flushes both spools into the events store, then reads; tests poll this until the browser's beacons are all in. */
async function flushed<T>(read: () => Promise<T>): Promise<T> {
  await eesee.writers.events.flush();
  await eesee.writers.botEvents.flush();
  return read();
}

/**
 * One browser per person, started with that person's user agent as well as the context's override: the override
 * (CDP emulation) does not reach keepalive beacons sent while a page unloads, which the browser then sends with
 * its own default UA ("HeadlessChrome") - the leave ping would be filed as a bot. Real browsers have one UA.
 */
async function launch(userAgent?: string): Promise<Browser> {
  const browser = await launchChromium(userAgent);
  browsers.push(browser);
  return browser;
}

async function newVisitor(options: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }> {
  const browser = await launch(options.userAgent);
  const context = await browser.newContext(options);
  // The outbound link's target: answered 204 so the browser stays on the page and never needs the network.
  await context.route('https://partner.example.org/**', (route) => {
    seen.outboundNavigations++;
    return route.fulfill({ status: 204 });
  });
  const page = await context.newPage();
  return { context, page };
}

/** Resolves once the deferred script has replaced the queue stub with the real tracker. */
async function trackerLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const api = (window as unknown as { eesee?: { q?: unknown; track?: unknown } }).eesee;
    return typeof api?.track === 'function' && api.q === undefined;
  });
}

/** A person reading for a moment: engaged time is measured in wall-clock milliseconds. */
const read = (page: Page) => page.waitForTimeout(250);

/**
 * Waits until the server has answered a track request from this user agent, of this type, for this path.
 * Beacons leave the browser asynchronously; closing a context too early could drop one still queued.
 */
async function arrived(test: (r: ApiRequest) => boolean, what: string): Promise<void> {
  await vi.waitFor(
    () => {
      if (!apiRequests.some(test)) throw new Error(`the server never received ${what}`);
    },
    { timeout: 10_000, interval: 50 },
  );
}

const from = (userAgent: string, type: string, path: string) => (r: ApiRequest) => r.userAgent === userAgent && r.type === type && r.path === path;

async function navigate(page: Page, label: string, path: string): Promise<void> {
  await page.getByRole('link', { name: label, exact: true }).click();
  await page.waitForURL(`${site.origin}${path}`);
}

beforeAll(async () => {
  eesee = await startTestEesee();
  eesee.app.addHook('onResponse', async (request, reply) => {
    if (!request.url.startsWith('/api/track') && !request.url.startsWith('/api/script')) return;
    apiRequests.push({
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      contentType: String(request.headers['content-type'] ?? ''),
      hasCookie: request.headers.cookie !== undefined,
      origin: String(request.headers.origin ?? ''),
      userAgent: String(request.headers['user-agent'] ?? ''),
      ...describePayload(request.body),
    });
  });
  const cookie = await signUp(eesee);
  siteId = (await createSite(eesee, cookie, { name: 'Acme', domain: '127.0.0.1', timezone: 'UTC' })).id;
  await eesee.app.listen({ port: 0, host: '127.0.0.1' });
  const eeseePort = (eesee.app.server.address() as AddressInfo).port;

  site = await startFixtureSite({ scriptSrc: `http://127.0.0.1:${eeseePort}/api/script.js`, siteId, outboundUrl: OUTBOUND_URL });
  mkdirSync(OUTPUT_DIR, { recursive: true });

  // Visitor 1, desktop Chrome on Windows: three SPA pages, a custom event, an outbound click, a download, then leaves.
  {
    const { context, page } = await newVisitor(VISITORS.windowsChrome.context);
    await page.goto(`${site.origin}/`);
    await trackerLoaded(page);
    await page.screenshot({ path: `${OUTPUT_DIR}tracker-fixture-home.png` });
    await read(page);
    await navigate(page, 'Pricing', '/pricing');
    await read(page);
    await navigate(page, 'Docs', '/docs');
    await page.getByRole('heading', { name: 'Documentation' }).waitFor();
    await page.getByRole('button', { name: /Sign up/ }).click();
    await page.getByRole('link', { name: 'Our partner' }).click();
    seen.urlAfterOutbound = page.url();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Annual report/ }).click()]);
    seen.downloadName = download.suggestedFilename();
    // Scroll part of the long docs page and read on; the engagement ping must report exactly this depth.
    await page.evaluate(() => scrollTo(0, Math.round((document.documentElement.scrollHeight - innerHeight) * 0.4)));
    await page.waitForFunction(() => scrollY > 0);
    seen.expectedDocsScrollDepth = await page.evaluate(() =>
      Math.min(100, Math.round(((scrollY + innerHeight) / document.documentElement.scrollHeight) * 100)),
    );
    await read(page);
    await page.screenshot({ path: `${OUTPUT_DIR}tracker-fixture-docs.png` });
    // Leaving the page (pagehide, and the page turns hidden) sends the engagement ping for /docs.
    await page.goto('about:blank');
    await arrived(from(CHROME_UA, 'engagement', '/docs'), 'the engagement ping for /docs');
    await context.close();
  }

  // Visitor 2, Safari on an iPhone, arriving from Hacker News: home, then pricing.
  {
    const { context, page } = await newVisitor(VISITORS.iphoneSafari.context);
    await page.goto(`${site.origin}/`, { referer: HN_REFERRER });
    await trackerLoaded(page);
    await page.screenshot({ path: `${OUTPUT_DIR}tracker-fixture-iphone.png` });
    await navigate(page, 'Pricing', '/pricing');
    await arrived(from(IPHONE_SAFARI_UA, 'pageview', '/pricing'), 'the iPhone pageview of /pricing');
    await context.close();
  }

  // Visitor 3, Firefox on Linux: home, then docs.
  {
    const { context, page } = await newVisitor(VISITORS.linuxFirefox.context);
    await page.goto(`${site.origin}/`);
    await trackerLoaded(page);
    await navigate(page, 'Docs', '/docs');
    await arrived(from(LINUX_FIREFOX_UA, 'pageview', '/docs'), 'the Firefox pageview of /docs');
    await context.close();
  }

  // A headless browser that keeps its own user agent ("HeadlessChrome"): a bot, on a page nobody else visits.
  {
    const context = await (await launch()).newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(`${site.origin}/blog`);
    await trackerLoaded(page);
    await arrived((r) => /HeadlessChrome\//.test(r.userAgent) && r.type === 'pageview', 'the headless pageview');
    await context.close();
  }
});

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await site?.close();
  await eesee?.stop();
});

describe('the tracker in a real browser, on a real server', () => {
  it('counts each pageview once per person and path, SPA routes included', async () => {
    const perPath = () =>
      flushed(() =>
        query(`SELECT pathname, toUInt32(count()) AS n FROM events WHERE site_id = {site:UInt32} AND type = 'pageview' GROUP BY pathname ORDER BY pathname`),
      );
    await expect.poll(perPath, { timeout: 15_000, interval: 200 }).toEqual([
      { pathname: '/', n: 3 },
      { pathname: '/docs', n: 2 },
      { pathname: '/pricing', n: 2 },
    ]);
    const perVisitor = await query(
      `SELECT browser, pathname, toUInt32(count()) AS n FROM events
       WHERE site_id = {site:UInt32} AND type = 'pageview' GROUP BY browser, pathname ORDER BY browser, pathname`,
    );
    expect(perVisitor).toEqual([
      { browser: 'Chrome', pathname: '/', n: 1 },
      { browser: 'Chrome', pathname: '/docs', n: 1 },
      { browser: 'Chrome', pathname: '/pricing', n: 1 },
      { browser: 'Firefox', pathname: '/', n: 1 },
      { browser: 'Firefox', pathname: '/docs', n: 1 },
      { browser: 'Safari', pathname: '/', n: 1 },
      { browser: 'Safari', pathname: '/pricing', n: 1 },
    ]);
    const hosts = await query(`SELECT DISTINCT hostname FROM events WHERE site_id = {site:UInt32}`);
    expect(hosts).toEqual([{ hostname: '127.0.0.1' }]);
  });

  it('receives the custom, queued, outbound and download events', async () => {
    const events = () =>
      flushed(() =>
        query(
          `SELECT type, name, pathname, browser, props, toFloat64(revenue) AS revenue, currency, interactive
           FROM events WHERE site_id = {site:UInt32} AND type IN ('event', 'outbound', 'download') ORDER BY browser, type, name`,
        ),
      );
    await expect.poll(async () => (await events()).length, { timeout: 15_000, interval: 200 }).toBe(6);
    const none = { revenue: 0, currency: '', interactive: 1 };
    expect(await events()).toEqual([
      // 'Early' is the queue stub's call, replayed after the first pageview: one per person, with its props.
      { type: 'download', name: 'File Download', pathname: '/docs', browser: 'Chrome', props: { url: `${site.origin}/files/report.pdf` }, ...none },
      { type: 'event', name: 'Early', pathname: '/', browser: 'Chrome', props: { queued: 'true' }, ...none },
      { type: 'event', name: 'Signup', pathname: '/docs', browser: 'Chrome', props: { plan: 'pro' }, revenue: 49, currency: 'EUR', interactive: 1 },
      { type: 'outbound', name: 'Outbound Link: Click', pathname: '/docs', browser: 'Chrome', props: { url: OUTBOUND_URL }, ...none },
      { type: 'event', name: 'Early', pathname: '/', browser: 'Firefox', props: { queued: 'true' }, ...none },
      { type: 'event', name: 'Early', pathname: '/', browser: 'Safari', props: { queued: 'true' }, ...none },
    ]);
    // The browser really followed both links: the outbound one (stubbed, 204: the page stays) and the download.
    expect(seen.outboundNavigations).toBe(1);
    expect(seen.urlAfterOutbound).toBe(`${site.origin}/docs`);
    expect(seen.downloadName).toBe('report.pdf');
  });

  it('sends engagement for each page left, credited to that page, with the scroll depth on leaving', async () => {
    const pings = () =>
      flushed(() =>
        query(
          `SELECT pathname, engaged_ms, scroll_depth FROM events
           WHERE site_id = {site:UInt32} AND type = 'engagement' AND browser = 'Chrome' ORDER BY ts`,
        ),
      );
    await expect.poll(async () => (await pings()).map((r) => r.pathname), { timeout: 15_000, interval: 200 }).toEqual(['/', '/pricing', '/docs']);
    const rows = await pings();
    // Each page was read for 250 ms or more; nothing close to a day (the tracker's cap) or to a clock mix-up.
    for (const row of rows) {
      expect(Number(row.engaged_ms)).toBeGreaterThanOrEqual(200);
      expect(Number(row.engaged_ms)).toBeLessThan(30_000);
    }
    expect(seen.expectedDocsScrollDepth).toBeGreaterThan(0);
    expect(seen.expectedDocsScrollDepth).toBeLessThan(100);
    expect(Number(rows[2]!.scroll_depth)).toBe(seen.expectedDocsScrollDepth);
  });

  it('tells the three people apart and keeps visitor 1 in one visit', async () => {
    await expect
      .poll(() => flushed(() => query(`SELECT toUInt32(uniqExact(visitor_id)) AS n FROM events WHERE site_id = {site:UInt32}`)), { timeout: 15_000 })
      .toEqual([{ n: 3 }]);
    const perBrowser = await query(
      `SELECT browser, toUInt32(uniqExact(visitor_id)) AS visitors, toUInt32(uniqExact(session_id)) AS sessions, toUInt32(count()) AS n
       FROM events WHERE site_id = {site:UInt32} GROUP BY browser ORDER BY browser`,
    );
    expect(perBrowser.map((r) => [r.browser, r.visitors, r.sessions])).toEqual([
      ['Chrome', 1, 1],
      ['Firefox', 1, 1],
      ['Safari', 1, 1],
    ]);
    // Visitor 1: 3 pageviews, Early, Signup, outbound, download and 3 engagement pings, all in one session.
    expect(perBrowser.find((r) => r.browser === 'Chrome')!.n).toBe(10);
  });

  it('enriches each person with browser, OS, device class, screen and language', async () => {
    const rows = await flushed(() =>
      query(
        `SELECT DISTINCT browser, os, device, screen, language FROM events WHERE site_id = {site:UInt32} ORDER BY browser`,
      ),
    );
    expect(rows).toEqual([VISITORS.windowsChrome.expected, VISITORS.linuxFirefox.expected, VISITORS.iphoneSafari.expected]);
  });

  it('keeps the first pageview referrer as the visit source, and sends it only once', async () => {
    const rows = await flushed(() =>
      query(`SELECT browser, type, pathname, source, referrer_host FROM events WHERE site_id = {site:UInt32} AND type = 'pageview' ORDER BY browser, ts`),
    );
    expect(rows.filter((r) => r.browser === 'Safari').map((r) => [r.pathname, r.source, r.referrer_host])).toEqual([
      ['/', 'Hacker News', 'news.ycombinator.com'],
      ['/pricing', 'Hacker News', 'news.ycombinator.com'],
    ]);
    expect(rows.filter((r) => r.browser !== 'Safari').every((r) => r.source === '' && r.referrer_host === '')).toBe(true);
  });

  it('files the headless browser under bot_events, never under events', async () => {
    const bots = () =>
      flushed(() =>
        query(`SELECT type, pathname, reason, user_agent FROM bot_events WHERE site_id = {site:UInt32} ORDER BY type`),
      );
    await expect.poll(async () => (await bots()).map((r) => r.type), { timeout: 15_000, interval: 200 }).toContain('pageview');
    const rows = await bots();
    const pageviews = rows.filter((r) => r.type === 'pageview');
    expect(pageviews).toHaveLength(1);
    expect(pageviews[0]).toMatchObject({ pathname: '/blog', reason: 'ua:headless-chrome' });
    expect(String(pageviews[0]!.user_agent)).toMatch(/HeadlessChrome\//);
    // Everything the bot sent is aside; the people's events never land there.
    expect(rows.filter((r) => r.pathname !== '/blog' || r.reason !== 'ua:headless-chrome')).toEqual([]);
    expect(await query(`SELECT count() AS n FROM events WHERE site_id = {site:UInt32} AND pathname = '/blog'`)).toEqual([{ n: '0' }]);
  });

  it('talks to the server as DESIGN §8 says: text/plain POSTs, no preflight, no cookies, all accepted', async () => {
    const track = apiRequests.filter((r) => r.url.startsWith('/api/track'));
    expect(apiRequests.filter((r) => r.url.startsWith('/api/script.js')).length).toBeGreaterThanOrEqual(4);
    expect(track.length).toBeGreaterThanOrEqual(18); // 16 from the three people, at least 2 from the bot
    expect(track.filter((r) => r.method !== 'POST')).toEqual([]); // text/plain is a simple request: no OPTIONS
    expect(track.filter((r) => !r.contentType.startsWith('text/plain'))).toEqual([]);
    expect(track.filter((r) => r.hasCookie)).toEqual([]);
    expect(track.filter((r) => r.status !== 202)).toEqual([]);
    expect(new Set(track.map((r) => r.origin))).toEqual(new Set([site.origin]));
  });
});
