// The Stats API over HTTP on real ingestion: events sent to /api/track come back as numbers; access and bad input are handled.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_UA, createSite, SAME_ORIGIN, signUp, startTestEesee, type TestEesee } from './support/test-eesee.js';

let eesee: TestEesee;
let cookie: string;
let siteId: number;

const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

async function track(payload: Record<string, unknown>, ip: string, ua = CHROME_UA) {
  const res = await eesee.app.inject({
    method: 'POST',
    url: '/api/track',
    remoteAddress: ip,
    headers: { 'content-type': 'text/plain', 'user-agent': ua },
    payload: JSON.stringify({ site_id: siteId, ...payload }),
  });
  expect(res.statusCode).toBe(202);
}

async function query(body: Record<string, unknown>, who = cookie) {
  return eesee.app.inject({ method: 'POST', url: '/api/v1/query', headers: { cookie: who, origin: SAME_ORIGIN }, payload: { site_id: siteId, ...body } });
}

beforeAll(async () => {
  eesee = await startTestEesee();
  cookie = await signUp(eesee);
  siteId = (await createSite(eesee, cookie, { domain: 'stats.example', timezone: 'Europe/Berlin' })).id;
  // Visitor A: three pages and a signup; visitor B: one page from Google (a bounce); visitor C: one page and an outbound click.
  await track({ url: 'https://stats.example/', referrer: 'https://news.ycombinator.com/' }, '81.2.69.142');
  await track({ url: 'https://stats.example/pricing' }, '81.2.69.142');
  await track({ url: 'https://stats.example/docs' }, '81.2.69.142');
  await track({ type: 'event', name: 'Signup', url: 'https://stats.example/docs', props: { plan: 'pro' }, revenue: { amount: 20, currency: 'EUR' } }, '81.2.69.142');
  await track({ url: 'https://stats.example/pricing', referrer: 'https://www.google.com/' }, '8.8.8.8', FIREFOX_UA);
  await track({ url: 'https://stats.example/' }, '49.207.0.1');
  await track({ type: 'outbound', name: 'Outbound Link: Click', url: 'https://stats.example/', props: { url: 'https://github.com/' } }, '49.207.0.1');
  await eesee.writers.events.flush();
});
afterAll(() => eesee?.stop());

describe('POST /api/v1/query', () => {
  it('returns the totals of what was tracked today', async () => {
    const res = await query({ date_range: 'day', metrics: ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'events', 'revenue'] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // events: the Signup and the outbound click (named events); revenue only from the custom event.
    expect(body.results).toEqual([{ dimensions: [], metrics: [3, 3, 5, 1.67, 33.3, 2, 20] }]);
    expect(body.query).toMatchObject({ site_id: siteId, timezone: 'Europe/Berlin', metrics: ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'events', 'revenue'] });
    expect(body.meta.total_rows).toBe(1);
  });

  it('breaks down by page, source, country and browser', async () => {
    const pages = (await query({ date_range: 'day', metrics: ['visitors', 'pageviews'], dimensions: ['page'] })).json();
    expect(pages.results).toEqual([
      { dimensions: ['/'], metrics: [2, 2] },
      { dimensions: ['/pricing'], metrics: [2, 2] },
      { dimensions: ['/docs'], metrics: [1, 1] },
    ]);
    const sources = (await query({ date_range: 'day', metrics: ['visits'], dimensions: ['source'], order_by: [['source', 'asc']] })).json();
    expect(sources.results).toEqual([
      { dimensions: [''], metrics: [1] },
      { dimensions: ['Google'], metrics: [1] },
      { dimensions: ['Hacker News'], metrics: [1] },
    ]);
    const countries = (await query({ date_range: 'day', metrics: ['visitors'], dimensions: ['country'], order_by: [['country', 'asc']] })).json();
    expect(countries.results.map((r: { dimensions: string[] }) => r.dimensions[0])).toEqual(['GB', 'IN', 'US']);
    const browsers = (await query({ date_range: 'day', metrics: ['visitors'], dimensions: ['browser'] })).json();
    expect(browsers.results).toEqual([
      { dimensions: ['Chrome'], metrics: [2] },
      { dimensions: ['Firefox'], metrics: [1] },
    ]);
  });

  it('filters visits by an event they contain, and computes a conversion rate', async () => {
    const res = (await query({ date_range: 'day', metrics: ['visitors', 'visits', 'pageviews'], filters: [['is', 'page', ['/pricing']]] })).json();
    expect(res.results[0].metrics).toEqual([2, 2, 2]);
    const conv = (await query({ date_range: 'day', metrics: ['visitors', 'conversion_rate'], filters: [['is', 'event', ['Signup']]] })).json();
    expect(conv.results[0].metrics).toEqual([1, 33.33]);
  });

  it('returns a zero-filled hourly series for today with a comparison', async () => {
    const res = (await query({ date_range: 'day', metrics: ['pageviews'], dimensions: ['time:hour'], compare: 'previous_period' })).json();
    expect(res.results.length).toBeGreaterThanOrEqual(23);
    expect(res.results.reduce((s: number, r: { metrics: number[] }) => s + r.metrics[0]!, 0)).toBe(5);
    expect(res.results.every((r: { comparison: { metrics: number[] } }) => r.comparison.metrics[0] === 0)).toBe(true);
    expect(res.meta.time_labels).toHaveLength(res.results.length);
  });

  it.each([
    [{ metrics: ['nonsense'] }, /unknown metric "nonsense"/],
    [{ metrics: ['visitors'], dimensions: ['planet'] }, /unknown dimension "planet"/],
    [{ metrics: ['visitors'], date_range: 'fortnight' }, /date_range/],
    [{ metrics: ['visitors'], date_range: ['2026-02-30', '2026-03-01'] }, /real dates/],
    [{ metrics: ['visitors'], date_range: ['2026-03-02', '2026-03-01'] }, /after the last/],
    [{ metrics: ['conversion_rate'] }, /goal/],
    [{ metrics: ['visitors'], filters: [['like', 'page', ['/']]] }, /unknown operator/],
    [{ metrics: ['visitors'], filters: [['matches', 'page', ['(']]] }, /regular expression/],
    [{ metrics: ['visitors'], order_by: [['pageviews', 'desc']] }, /order_by/],
    [{ metrics: ['visitors'], dimensions: ['page', 'event'] }, /one event dimension/],
    [{ metrics: ['visitors'], extra: 1 }, /extra|Unrecognized/i],
    [{ metrics: ['visitors', 'pageviews', 'visitors'] }, /"visitors" is listed twice/],
    [{ metrics: ['visitors'], filters: [['contains', 'page', ['x'.repeat(5000)]]] }, /longer than 2048 characters/],
    [{ metrics: ['visitors'], date_range: ['0001-01-01', '9999-12-31'] }, /at most 3660 days/],
    [{ metrics: ['visitors'], date_range: ['0099-02-29', '0099-03-01'] }, /real dates/],
  ])('refuses %j with a clear 400', async (body, message) => {
    const res = await query(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(message);
  });

  it("refuses another account's site and anonymous callers", async () => {
    const other = await signUp(eesee);
    expect((await query({ metrics: ['visitors'] }, other)).statusCode).toBe(404);
    const anon = await eesee.app.inject({ method: 'POST', url: '/api/v1/query', payload: { site_id: siteId, metrics: ['visitors'] } });
    expect(anon.statusCode).toBe(401);
  });

  it('lists the names of event properties with their visitors and events', async () => {
    const res = await query({ date_range: 'day', metrics: ['visitors', 'events'], dimensions: ['event:props'], order_by: [['visitors', 'desc']] });
    expect(res.statusCode).toBe(200);
    // The Signup's plan and the outbound click's url, one visitor and one event each.
    expect(res.json().results.sort((a: { dimensions: string[] }, b: { dimensions: string[] }) => a.dimensions[0]!.localeCompare(b.dimensions[0]!))).toEqual([
      { dimensions: ['plan'], metrics: [1, 1] },
      { dimensions: ['url'], metrics: [1, 1] },
    ]);
    expect((await query({ date_range: 'day', metrics: ['visits'], dimensions: ['event:props'] })).json().error).toMatch(/only visitors and events/);
  });

  it('answers impossible site ids with a 400, never a 500', async () => {
    for (const site_id of [2147483648, 1e30, '99999999999', -1, 0, 1.5, 'abc', null]) {
      const res = await eesee.app.inject({ method: 'POST', url: '/api/v1/query', headers: { cookie, origin: SAME_ORIGIN }, payload: { site_id, metrics: ['visitors'] } });
      expect(res.statusCode, String(site_id)).toBe(400);
      expect(res.json().error).toMatch(/site/);
    }
  });
});

describe('realtime', () => {
  it('counts current visitors', async () => {
    const res = await eesee.app.inject({ method: 'GET', url: `/api/sites/${siteId}/realtime`, headers: { cookie } });
    expect(res.json()).toEqual({ visitors: 3 });
  });

  it('streams the visitor count and new pageviews over server-sent events', async () => {
    const address = await eesee.app.listen({ port: 0, host: '127.0.0.1' });
    const received: string[] = [];
    const req = http.get(`${address}/api/sites/${siteId}/live`, { headers: { cookie } });
    const response = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
    expect(response.headers['content-type']).toMatch(/text\/event-stream/);
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => received.push(chunk));
    await expect.poll(() => received.join('')).toContain('event: visitors\ndata: {"visitors":3}');
    await track({ url: 'https://stats.example/live-now' }, '1.1.1.1');
    await expect.poll(() => received.join('')).toContain('"pathname":"/live-now"');
    expect(received.join('')).not.toContain('visitor_id');
    req.destroy();
  });
});

it('serves an OpenAPI description at /api/docs', async () => {
  const doc = (await eesee.app.inject({ method: 'GET', url: '/api/docs' })).json();
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/track', '/api/v1/query', '/api/sites/{id}/live']));
  expect(doc.paths['/api/track'].post.requestBody.content['text/plain'].schema.properties.url).toBeDefined();
});
