// dist/script.js (built in memory from src/) running in jsdom: the exact payloads it sends.
import { describe, expect, it } from 'vitest';
import { builtScript, DEFAULT_ENDPOINT, openPage } from '../test/page.js';

/** Fields every payload of the default test page carries. */
const page = { site_id: '42', title: 'Start', screen_width: 1920, screen_height: 1080, viewport_width: 1024, language: 'en-US' };
const START = 'https://shop.example/start';

/** The queue stub documented in README.md, verbatim. */
const STUB = `<script>
  window.eesee = window.eesee || { q: [] };
  ['track', 'pageview', 'identify', 'reset'].forEach(function (m) {
    window.eesee[m] = window.eesee[m] || function () { window.eesee.q.push([m].concat([].slice.call(arguments))); };
  });
</script>`;

describe('first pageview', () => {
  it('is sent on load to the script origin, with referrer, title, screen, viewport and language', async () => {
    const tab = await openPage({ url: `${START}?utm_source=news#top`, referrer: 'https://news.example/item/1' });
    expect(await tab.drain()).toEqual([
      {
        endpoint: DEFAULT_ENDPOINT,
        payload: { ...page, type: 'pageview', url: `${START}?utm_source=news#top`, referrer: 'https://news.example/item/1' },
      },
    ]);
  });

  it('goes to data-api when set, and leaves out an empty referrer', async () => {
    const tab = await openPage({ attrs: { api: 'https://shop.example/stats/event' } });
    expect(await tab.drain()).toEqual([{ endpoint: 'https://shop.example/stats/event', payload: { ...page, type: 'pageview', url: START } }]);
  });

  it('falls back to fetch with keepalive, text/plain and no credentials when sendBeacon is missing', async () => {
    const tab = await openPage({ beacon: false });
    const [sent, ...rest] = await tab.drain();
    expect(rest).toEqual([]);
    expect(sent!.endpoint).toBe(DEFAULT_ENDPOINT);
    expect(sent!.payload).toEqual({ ...page, type: 'pageview', url: START });
    expect(sent!.init).toEqual({
      method: 'POST',
      body: JSON.stringify(sent!.payload),
      keepalive: true,
      credentials: 'omit',
      headers: { 'Content-Type': 'text/plain' },
    });
  });

  it('sends nothing without a site id or when the visitor opted out', async () => {
    const noSite = await openPage({ attrs: { 'site-id': '' } });
    noSite.window.eesee.track('Signup');
    expect(await noSite.drain()).toEqual([]);

    const optedOut = await openPage({ head: `<script>localStorage.setItem('eesee_ignore', 'true')</script>` });
    optedOut.window.eesee.track('Signup');
    expect(await optedOut.drain()).toEqual([]);
  });

  it('waits for a prerendered page to be opened', async () => {
    const tab = await openPage({ head: `<script>Object.defineProperty(document, 'prerendering', { value: true, configurable: true })</script>` });
    tab.window.eesee.track('While prerendering');
    expect((await tab.payloads()).map((p) => p.type)).toEqual(['event']);
    Object.defineProperty(tab.window.document, 'prerendering', { value: false });
    tab.window.document.dispatchEvent(new tab.window.Event('prerenderingchange'));
    expect(await tab.payloads()).toEqual([{ ...page, type: 'pageview', url: START }]);
  });

  it('counts once when the script is included twice', async () => {
    const tab = await openPage();
    tab.window.eval(await builtScript());
    tab.window.eesee.track('Once');
    expect((await tab.payloads()).map((p) => p.type)).toEqual(['pageview', 'event']);
  });
});

describe('SPA navigation', () => {
  it('sends one pageview per new path, none for replaceState on the same path or a query change', async () => {
    const tab = await openPage({ referrer: 'https://news.example/' });
    const { history } = tab.window;
    await tab.drain();

    history.pushState({}, '', '/products');
    expect(await tab.payloads()).toEqual([{ ...page, type: 'pageview', url: 'https://shop.example/products' }]);

    history.replaceState({}, '', '/products?sort=price');
    history.pushState({}, '', '/products?sort=name');
    expect(await tab.payloads()).toEqual([]);

    history.pushState({}, '', '/cart');
    history.replaceState({}, '', '/cart?step=1');
    expect(await tab.payloads()).toEqual([{ ...page, type: 'pageview', url: 'https://shop.example/cart' }]);

    const popped = tab.next('popstate');
    history.back();
    await popped;
    expect(await tab.payloads()).toEqual([{ ...page, type: 'pageview', url: 'https://shop.example/products?sort=name' }]);
  });

  it('ignores hash changes in auto mode and all navigation with data-spa="off"', async () => {
    const auto = await openPage();
    await auto.drain();
    await auto.setHash('#/details');
    expect(await auto.drain()).toEqual([]);

    const off = await openPage({ attrs: { spa: 'off' } });
    await off.drain();
    off.window.history.pushState({}, '', '/elsewhere');
    expect(await off.drain()).toEqual([]);
  });

  it('treats the hash route as the page with data-spa="hash"', async () => {
    const tab = await openPage({ url: 'https://shop.example/app#/home', attrs: { spa: 'hash' } });
    expect(await tab.payloads()).toEqual([{ ...page, type: 'pageview', url: 'https://shop.example/app#/home' }]);

    await tab.setHash('#/settings');
    expect(await tab.payloads()).toEqual([{ ...page, type: 'pageview', url: 'https://shop.example/app#/settings' }]);

    await tab.setHash('#/settings?tab=2');
    expect(await tab.payloads()).toEqual([]);

    tab.window.history.pushState({}, '', '#/billing');
    expect(await tab.payloads()).toEqual([{ ...page, type: 'pageview', url: 'https://shop.example/app#/billing' }]);
  });

  it('sends pageview(url) at once, for a URL relative to the page', async () => {
    const tab = await openPage();
    await tab.drain();
    tab.window.eesee.pageview('/virtual/step-2');
    expect(await tab.payloads()).toEqual([{ ...page, type: 'pageview', url: 'https://shop.example/virtual/step-2' }]);
  });
});

describe('custom events', () => {
  it('carries name, cleaned props, revenue and the interactive flag', async () => {
    const tab = await openPage();
    await tab.drain();
    tab.window.eesee.track(
      'Purchase',
      { plan: 'pro', seats: 3, trial: false, coupon: null, skipped: undefined, note: 'x'.repeat(600) },
      { revenue: { amount: 29.9, currency: 'EUR' }, interactive: false },
    );
    tab.window.eesee.track('Newsletter');
    expect(await tab.payloads()).toEqual([
      {
        ...page,
        type: 'event',
        url: START,
        name: 'Purchase',
        props: { plan: 'pro', seats: 3, trial: false, coupon: null, note: 'x'.repeat(500) },
        revenue: { amount: 29.9, currency: 'EUR' },
        interactive: false,
      },
      { ...page, type: 'event', url: START, name: 'Newsletter' },
    ]);
  });

  it('replays calls queued by the stub before the script loaded, in order, after the first pageview', async () => {
    const tab = await openPage({
      head: `${STUB}<script>
        eesee.track('Early', { step: 1 });
        eesee.identify('user-1');
        eesee.track('Second');
        eesee.reset();
        eesee.track('Third', {}, { revenue: { amount: 5, currency: 'USD' } });
      </script>`,
    });
    expect(await tab.payloads()).toEqual([
      { ...page, type: 'pageview', url: START },
      { ...page, type: 'event', url: START, name: 'Early', props: { step: 1 } },
      { ...page, type: 'event', url: START, name: 'Second', user_id: 'user-1' },
      { ...page, type: 'event', url: START, name: 'Third', props: {}, revenue: { amount: 5, currency: 'USD' } },
    ]);
  });

  it('adds user_id after identify() until reset()', async () => {
    const tab = await openPage();
    await tab.drain();
    tab.window.eesee.identify('user-7', { plan: 'pro' });
    tab.window.eesee.track('A');
    tab.window.history.pushState({}, '', '/account');
    tab.window.eesee.reset();
    tab.window.eesee.track('B');
    expect(await tab.payloads()).toEqual([
      { ...page, type: 'event', url: START, name: 'A', user_id: 'user-7' },
      { ...page, type: 'pageview', url: 'https://shop.example/account', user_id: 'user-7' },
      { ...page, type: 'event', url: 'https://shop.example/account', name: 'B' },
    ]);
  });
});

describe('link clicks', () => {
  const links = `
    <a id="out" href="https://partner.example/deal?x=1"><span id="inside">Deal</span></a>
    <a id="internal" href="/about">About</a>
    <a id="mail" href="mailto:hi@shop.example">Mail</a>
    <a id="pdf" href="/files/Guide.PDF">Guide</a>
    <a id="dmg" href="https://cdn.example/app.dmg">App</a>
    <a id="export" href="/export" download>Export</a>`;

  it('sends outbound clicks (also middle clicks, also on a child element), not internal or mailto links', async () => {
    const tab = await openPage({ body: links });
    await tab.drain();
    tab.click('#inside');
    tab.click('#out', { button: 1 });
    tab.click('#out', { button: 2 }); // a right click opens a menu, not the link
    tab.click('#internal');
    tab.click('#mail');
    const outbound = { ...page, type: 'outbound', url: START, name: 'Outbound Link: Click', props: { url: 'https://partner.example/deal?x=1' } };
    expect(await tab.payloads()).toEqual([outbound, outbound]);
  });

  it('sends downloads by extension (any host, any case) or download attribute', async () => {
    const tab = await openPage({ body: links });
    await tab.drain();
    tab.click('#pdf');
    tab.click('#dmg');
    tab.click('#export');
    const download = (url: string) => ({ ...page, type: 'download', url: START, name: 'File Download', props: { url } });
    expect(await tab.payloads()).toEqual([
      download('https://shop.example/files/Guide.PDF'),
      download('https://cdn.example/app.dmg'),
      download('https://shop.example/export'),
    ]);
  });

  it('follows data-outbound="false" and a data-downloads list', async () => {
    const tab = await openPage({ body: links, attrs: { outbound: 'false', downloads: 'DMG' } });
    await tab.drain();
    tab.click('#out');
    tab.click('#pdf');
    tab.click('#dmg');
    expect((await tab.payloads()).map((p) => [p.type, (p.props as { url: string }).url])).toEqual([['download', 'https://cdn.example/app.dmg']]);

    const off = await openPage({ body: links, attrs: { downloads: 'false' } });
    await off.drain();
    off.click('#pdf');
    off.click('#export');
    expect(await off.drain()).toEqual([]);
  });
});

describe('data-exclude and data-include', () => {
  it('sends nothing on excluded paths, and tracks again on the next allowed page', async () => {
    const tab = await openPage({ url: 'https://shop.example/admin/users/7', attrs: { exclude: '/admin/**, /drafts/*' } });
    tab.window.eesee.track('Hidden');
    expect(await tab.payloads()).toEqual([]);

    tab.window.history.pushState({}, '', '/drafts/new-post');
    tab.window.history.pushState({}, '', '/admin');
    tab.window.history.pushState({}, '', '/drafts/a/b');
    expect((await tab.payloads()).map((p) => p.url)).toEqual(['https://shop.example/drafts/a/b']);
  });

  it('sends only on included paths', async () => {
    const tab = await openPage({ attrs: { include: '/blog/**' } });
    tab.window.history.pushState({}, '', '/blog');
    tab.window.history.pushState({}, '', '/shop');
    tab.window.history.pushState({}, '', '/blog/2024/hello');
    expect((await tab.payloads()).map((p) => p.url)).toEqual(['https://shop.example/blog', 'https://shop.example/blog/2024/hello']);
  });
});

describe('engagement', () => {
  it('reports engaged time and scroll depth when the page is hidden, never an empty ping', async () => {
    // A page four screens tall: on load the first quarter is in view.
    const tab = await openPage({
      head: `<script>
        Object.defineProperty(document.documentElement, 'scrollHeight', { value: 4000 });
        Object.defineProperty(window, 'innerHeight', { value: 1000 });
      </script>`,
    });
    const { window } = tab;
    await tab.drain();

    tab.advance(12_000);
    Object.defineProperty(window, 'scrollY', { value: 1000, configurable: true });
    window.dispatchEvent(new window.Event('scroll'));
    tab.setVisibility('hidden');
    tab.advance(60_000); // hidden: not engaged
    window.dispatchEvent(new window.Event('pagehide')); // nothing new since the last ping
    expect(await tab.payloads()).toEqual([{ ...page, type: 'engagement', url: START, engaged_ms: 12_000, scroll_depth: 50 }]);
  });

  it('sends one ping when the page is left: pagehide comes while still visible, then the page turns hidden', async () => {
    const tab = await openPage();
    await tab.drain();
    tab.advance(4_000);
    tab.window.dispatchEvent(new tab.window.PageTransitionEvent('pagehide'));
    tab.advance(2); // the browser turns the page hidden a moment later
    tab.setVisibility('hidden');
    expect(await tab.payloads()).toEqual([{ ...page, type: 'engagement', url: START, engaged_ms: 4_000, scroll_depth: 100 }]);

    // Restored from the back/forward cache: engaged time counts again.
    tab.window.dispatchEvent(new tab.window.PageTransitionEvent('pageshow', { persisted: true }));
    tab.setVisibility('visible');
    tab.advance(3_000);
    tab.setVisibility('hidden');
    expect(await tab.payloads()).toEqual([{ ...page, type: 'engagement', url: START, engaged_ms: 3_000, scroll_depth: 100 }]);
  });

  it('counts only visible and focused time, and pings for the previous page before an SPA pageview', async () => {
    const tab = await openPage({ referrer: 'https://news.example/' });
    await tab.drain();
    tab.advance(3_000);
    tab.setFocus(false);
    tab.advance(50_000); // another window has focus
    tab.setFocus(true);
    tab.advance(2_000);
    tab.window.history.pushState({}, '', '/next');
    tab.advance(1_000);
    // The SPA page was never scrolled; its depth is measured when it is hidden.
    tab.setVisibility('hidden');
    expect(await tab.payloads()).toEqual([
      { ...page, type: 'engagement', url: START, engaged_ms: 5_000, scroll_depth: 100 },
      { ...page, type: 'pageview', url: 'https://shop.example/next' },
      { ...page, type: 'engagement', url: 'https://shop.example/next', engaged_ms: 1_000, scroll_depth: 100 },
    ]);
  });
});
