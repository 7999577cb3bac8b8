// POST /api/track end to end on the embedded stores: what is accepted is stored with the right enrichment; bad input gets a clear 4xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_UA, createSite, signUp, startTestEesee, type TestEesee } from './support/test-eesee.js';

let eesee: TestEesee;
let siteId: number;

beforeAll(async () => {
  eesee = await startTestEesee();
  const cookie = await signUp(eesee);
  siteId = (await createSite(eesee, cookie, { domain: 'shop.example.com', timezone: 'America/New_York' })).id;
});
afterAll(() => eesee?.stop());

let ipCounter = 1;
function nextIp(): string {
  ipCounter++;
  return `81.2.69.${ipCounter % 250}`;
}

async function track(payload: unknown, opts: { ip?: string; ua?: string; contentType?: string; raw?: string | Buffer } = {}) {
  return eesee.app.inject({
    method: 'POST',
    url: '/api/track',
    remoteAddress: opts.ip ?? '81.2.69.142',
    headers: {
      'content-type': opts.contentType ?? 'text/plain',
      'user-agent': opts.ua ?? CHROME_UA,
      'accept-language': 'en-US,en;q=0.9',
    },
    payload: opts.raw ?? JSON.stringify(payload),
  });
}

async function storedEvents(where = '1'): Promise<Record<string, unknown>[]> {
  await eesee.writers.events.flush();
  return eesee.events.query(`SELECT * FROM events WHERE site_id = {siteId:UInt32} AND ${where} ORDER BY ts`, { siteId });
}

describe('accepted events', () => {
  it('stores a pageview with URL parts, source, channel, geo, browser and device', async () => {
    const ip = '81.2.69.142';
    const res = await track(
      {
        site_id: String(siteId),
        url: 'https://shop.example.com/products/caf%C3%A9/?utm_source=Newsletter&utm_medium=email&utm_campaign=Spring&color=red#reviews',
        referrer: 'https://www.google.co.uk/',
        title: 'Café',
        screen_width: 1920,
        screen_height: 1080,
        viewport_width: 1500,
        language: 'en-GB',
      },
      { ip },
    );
    expect(res.statusCode).toBe(202);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const [row] = await storedEvents(`pathname = '/products/café'`);
    expect(row).toMatchObject({
      type: 'pageview',
      hostname: 'shop.example.com',
      pathname: '/products/café',
      query: 'color=red',
      title: 'Café',
      utm_source: 'Newsletter',
      utm_medium: 'email',
      utm_campaign: 'Spring',
      channel: 'Email',
      country: 'GB',
      browser: 'Chrome',
      os: 'Windows',
      device: 'desktop',
      screen: '1920x1080',
      language: 'en-GB',
    });
    expect(String(row!.source).toLowerCase()).toBe('newsletter');
    expect(row!.visitor_id).not.toBe('0');
  });

  it('keeps one visit for a visitor within 30 minutes and stamps the entry source on later events', async () => {
    const ip = nextIp();
    await track({ site_id: siteId, url: 'https://shop.example.com/a', referrer: 'https://news.ycombinator.com/item?id=1' }, { ip });
    await track({ site_id: siteId, url: 'https://shop.example.com/b', referrer: 'https://shop.example.com/a' }, { ip });
    await track({ site_id: siteId, type: 'event', name: 'Signup', url: 'https://shop.example.com/b', props: { plan: 'pro', seats: 3 }, revenue: { amount: 49.5, currency: 'eur' } }, { ip });
    const rows = await storedEvents(`pathname IN ('/a', '/b')`);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.session_id)).size).toBe(1);
    expect(new Set(rows.map((r) => r.visitor_id)).size).toBe(1);
    expect(rows.map((r) => r.source)).toEqual(['Hacker News', 'Hacker News', 'Hacker News']);
    const event = rows.find((r) => r.type === 'event')!;
    expect(event).toMatchObject({ name: 'Signup', props: { plan: 'pro', seats: '3' }, currency: 'EUR', interactive: 1 });
    expect(Number(event.revenue)).toBe(49.5);
  });

  it('gives different visitors different ids and sessions', async () => {
    await track({ site_id: siteId, url: 'https://shop.example.com/c' }, { ip: '8.8.8.8' });
    await track({ site_id: siteId, url: 'https://shop.example.com/c' }, { ip: '8.8.4.4' });
    const rows = await storedEvents(`pathname = '/c'`);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.visitor_id).not.toBe(rows[1]!.visitor_id);
    expect(rows[0]!.session_id).not.toBe(rows[1]!.session_id);
  });

  it('counts bots aside, never as events', async () => {
    const res = await track({ site_id: siteId, url: 'https://shop.example.com/bot' }, { ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ ok: true, ignored: 'bot' });
    expect(await storedEvents(`pathname = '/bot'`)).toHaveLength(0);
    await eesee.writers.botEvents.flush();
    const bots = await eesee.events.query(`SELECT count() AS c FROM bot_events WHERE site_id = {siteId:UInt32} AND pathname = '/bot'`, { siteId });
    expect(Number(bots[0]!.c)).toBe(1);
  });

  it('stores script-injection strings as plain text', async () => {
    const evil = `<script>alert('x')</script>'; DROP TABLE events; --`;
    const res = await track({ site_id: siteId, type: 'event', name: evil, title: evil, url: `https://shop.example.com/x?q=${encodeURIComponent(evil)}`, props: { [evil.slice(0, 60)]: evil } });
    expect(res.statusCode).toBe(202);
    const rows = await storedEvents(`name = {evil:String}`.replace('{evil:String}', `'${evil.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.title).toBe(evil);
    const count = await eesee.events.query('SELECT count() AS c FROM events');
    expect(Number(count[0]!.c)).toBeGreaterThan(0);
  });
});

describe('bad input', () => {
  const cases: [string, Parameters<typeof track>[1] & { payload?: unknown }, number, RegExp][] = [
    ['malformed JSON', { raw: '{"site_id": 1, "url": ' }, 400, /^body is not valid JSON: (?!.*content-type)/],
    ['an empty body', { raw: '' }, 400, /empty/],
    ['a JSON array', { raw: '[1,2,3]' }, 400, /JSON object/],
    ['invalid UTF-8', { raw: Buffer.concat([Buffer.from('{"site_id":"1","url":"https://a.com/'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]) }, 400, /UTF-8/],
    ['a prototype-pollution key', { raw: '{"site_id":"1","url":"https://a.com/","__proto__":{"admin":true}}' }, 400, /"__proto__" key .* not allowed/],
    ['a constructor.prototype key', { raw: '{"site_id":"1","url":"https://a.com/","constructor":{"prototype":{}}}' }, 400, /"constructor" key .* not allowed/],
    ['site id 0', { raw: JSON.stringify({ site_id: 0, url: 'https://a.com/' }) }, 400, /^site_id: site_id must be between 1 and 2147483647$/],
    ['an oversized body', { raw: JSON.stringify({ site_id: '1', url: 'https://a.com/', title: 'x'.repeat(70_000) }) }, 413, /too large/],
    ['a site id beyond PostgreSQL integers', { raw: JSON.stringify({ site_id: '2147483648', url: 'https://a.com/' }) }, 400, /site_id/],
    ['a huge numeric site id', { raw: '{"site_id": 1e30, "url": "https://a.com/"}' }, 400, /site_id/],
    // PostgreSQL cannot store U+0000 (the visit's entry is written behind into it): refused before a 202.
    ['a NUL character in a referrer', { raw: JSON.stringify({ site_id: '1', url: 'https://a.com/', referrer: 'https://b.com/\u0000' }) }, 400, /NUL/],
    ['an unsupported content type', { raw: 'a=1', contentType: 'application/x-www-form-urlencoded' }, 415, /content type/],
  ];
  it.each(cases)('refuses %s with a JSON error', async (_name, opts, status, message) => {
    const res = await track(undefined, opts);
    expect(res.statusCode).toBe(status);
    expect(res.json().error).toMatch(message);
  });

  it('names each wrong field', async () => {
    const res = await track({ site_id: 'abc', url: 42, type: 'nonsense', props: { constructor: 1 } });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error).toMatch(/site_id/);
    expect(error).toMatch(/url/);
    expect(error).toMatch(/type/);
  });

  it('refuses too many or too large properties', async () => {
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i]));
    expect((await track({ site_id: siteId, type: 'event', name: 'x', url: 'https://shop.example.com/', props: many })).json().error).toMatch(/30 properties/);
    const big = { a: 'x'.repeat(500), b: 'x'.repeat(500), c: 'x'.repeat(500), d: 'x'.repeat(500), e: 'x'.repeat(500) };
    expect((await track({ site_id: siteId, type: 'event', name: 'x', url: 'https://shop.example.com/', props: big })).json().error).toMatch(/2 KB/);
  });

  it('refuses an unknown site, a non-http URL and an absurd timestamp', async () => {
    expect((await track({ site_id: 999_999, url: 'https://shop.example.com/' })).statusCode).toBe(404);
    expect((await track({ site_id: siteId, url: 'javascript:alert(1)' })).statusCode).toBe(400);
    const res = await track({ site_id: siteId, url: 'https://shop.example.com/', ts: 32503680000000 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/ts/);
  });

  it('loses nothing already accepted when bad input arrives in between', async () => {
    const ip = nextIp();
    for (let i = 0; i < 20; i++) {
      expect((await track({ site_id: siteId, url: `https://shop.example.com/keep/${i}` }, { ip })).statusCode).toBe(202);
      expect((await track(undefined, { raw: '{"nope', ip })).statusCode).toBe(400);
    }
    expect(await storedEvents(`startsWith(pathname, '/keep/')`)).toHaveLength(20);
  });

  it('answers the CORS preflight for any origin without credentials', async () => {
    const res = await eesee.app.inject({ method: 'OPTIONS', url: '/api/track', headers: { origin: 'https://elsewhere.org', 'access-control-request-method': 'POST' } });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('site rules', () => {
  it('drops excluded IPs and paths, and refuses hosts that are not allowed', async () => {
    const cookie = await signUp(eesee);
    const site = await createSite(eesee, cookie, {
      domain: 'rules.example',
      settings: { allowedHostnames: ['*.rules.example'], excludedIps: ['10.1.0.0/16'], excludedPaths: ['/admin/**'] },
    });
    const base = { site_id: site.id };
    expect((await track({ ...base, url: 'https://rules.example/' }, { ip: '10.1.2.3' })).json()).toEqual({ ok: true, ignored: 'excluded address' });
    expect((await track({ ...base, url: 'https://rules.example/admin/users/1' })).json()).toEqual({ ok: true, ignored: 'excluded path' });
    expect((await track({ ...base, url: 'https://evil.test/' })).statusCode).toBe(403);
    expect((await track({ ...base, url: 'https://blog.rules.example/post' })).statusCode).toBe(202);
    expect((await track({ ...base, url: 'https://rules.example/post' })).statusCode).toBe(202);
  });

  it('rate-limits a single address with a 429', async () => {
    const ip = '203.0.113.77';
    let limited = 0;
    for (let i = 0; i < 400; i++) if ((await track({ site_id: siteId, url: 'https://shop.example.com/flood' }, { ip })).statusCode === 429) limited++;
    expect(limited).toBeGreaterThan(0);
  });
});

describe('shared state', () => {
  it('stays in this process without REDIS_URL', async () => {
    const res = await eesee.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json()).toMatchObject({ ok: true, shared_state: 'memory' });
    expect(eesee.sessions.kind).toBe('memory');
  });
});
