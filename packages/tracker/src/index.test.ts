// @vitest-environment jsdom
// The npm package: init() in the page's own bundle, calls before init() replayed after the first pageview.
import { expect, it } from 'vitest';
import { checkContract } from '../test/contract.js';
import { identify, init, pageview, reset, track } from './index.js';

const sent: Promise<{ endpoint: string; payload: Record<string, unknown> }>[] = [];
navigator.sendBeacon = (endpoint: string | URL, data?: BodyInit | null) => {
  sent.push((data as Blob).text().then((text) => ({ endpoint: String(endpoint), payload: JSON.parse(text) })));
  return true;
};
const drain = async () => {
  const all = await Promise.all(sent.splice(0));
  for (const { payload } of all) checkContract(payload);
  return all;
};

const page = { site_id: 7, title: '', screen_width: screen.width, screen_height: screen.height, viewport_width: innerWidth, language: navigator.language };

it('queues calls made before init(), then sends the pageview and replays them', async () => {
  track('Before init', { n: 1 });
  expect(await drain()).toEqual([]);

  init({ siteId: 7, apiHost: 'https://stats.example.net/', exclude: ['/private/**'], downloads: ['zip'] });
  init({ siteId: 8 }); // ignored: one tracker per page
  const endpoint = 'https://stats.example.net/api/track';
  expect(await drain()).toEqual([
    { endpoint, payload: { ...page, type: 'pageview', url: location.href } },
    { endpoint, payload: { ...page, type: 'event', url: location.href, name: 'Before init', props: { n: 1 } } },
  ]);
});

it('tracks navigation, events, identity and options like the script', async () => {
  history.pushState({}, '', '/pricing');
  identify('user-9');
  track('Upgrade', undefined, { revenue: { amount: 10, currency: 'USD' } });
  reset();
  pageview('/pricing/virtual');
  history.pushState({}, '', '/private/settings');
  track('Hidden');
  document.body.innerHTML = '<a id="zip" href="/files/a.zip">zip</a><a id="pdf" href="/files/a.pdf">pdf</a>';
  history.pushState({}, '', '/files');
  document.getElementById('pdf')!.addEventListener('click', (event) => event.preventDefault());
  document.getElementById('zip')!.addEventListener('click', (event) => event.preventDefault());
  document.getElementById('pdf')!.click(); // not in the downloads list given to init()
  document.getElementById('zip')!.click();

  const origin = location.origin;
  expect((await drain()).map((s) => s.payload)).toEqual([
    { ...page, type: 'pageview', url: `${origin}/pricing` },
    { ...page, type: 'event', url: `${origin}/pricing`, name: 'Upgrade', user_id: 'user-9', revenue: { amount: 10, currency: 'USD' } },
    { ...page, type: 'pageview', url: `${origin}/pricing/virtual` },
    { ...page, type: 'pageview', url: `${origin}/files` },
    { ...page, type: 'download', url: `${origin}/files`, name: 'File Download', props: { url: `${origin}/files/a.zip` } },
  ]);
});

it('cuts a very long URL to the server’s 4096 characters instead of losing the pageview', async () => {
  history.pushState({}, '', `/search?q=${'x'.repeat(5000)}`);
  const [view] = (await drain()).map((s) => s.payload);
  expect(view).toMatchObject({ type: 'pageview' });
  expect((view!.url as string).length).toBe(4096);
  expect(location.href.startsWith(view!.url as string)).toBe(true);
});
