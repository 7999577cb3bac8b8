// The /api/track wire contract: what is accepted, each field limit, and stripping of unknown fields.
import { describe, expect, it } from 'vitest';
import { describeIssues, trackPayloadSchema } from './payload.js';

const minimal = { site_id: '1', url: 'https://a.com/' };

function accepts(body: unknown) {
  const r = trackPayloadSchema.safeParse(body);
  if (!r.success) throw new Error(`refused: ${describeIssues(r.error).join('; ')}`);
  return r.data;
}

function refuses(body: unknown): string[] {
  const r = trackPayloadSchema.safeParse(body);
  expect(r.success, `should refuse ${String(JSON.stringify(body)).slice(0, 200)}`).toBe(false);
  return r.success ? [] : describeIssues(r.error);
}

/** `n` props whose JSON is exactly `total` characters long (checked), using values of at most 500 chars. */
function propsOfJsonLength(total: number): Record<string, string> {
  // {"a":"…","b":"…",…}: each entry is 6 + value length, plus commas and braces
  const keys = ['a', 'b', 'c', 'd', 'e'];
  const fixed = 2 + (keys.length - 1) + keys.length * 6;
  let rest = total - fixed;
  const props: Record<string, string> = {};
  for (const k of keys) {
    const len = Math.min(500, rest);
    props[k] = 'x'.repeat(len);
    rest -= len;
  }
  if (rest !== 0) throw new Error('cannot reach that length');
  expect(JSON.stringify(props)).toHaveLength(total);
  return props;
}

describe('trackPayloadSchema: accepted bodies', () => {
  it('a minimal pageview: type defaults to pageview', () => {
    expect(accepts(minimal)).toEqual({ site_id: '1', url: 'https://a.com/', type: 'pageview' });
  });

  it('site_id as a string of digits or as a positive integer', () => {
    expect(accepts({ ...minimal, site_id: '42' }).site_id).toBe('42');
    expect(accepts({ ...minimal, site_id: 42 }).site_id).toBe(42);
    expect(accepts({ ...minimal, site_id: '2147483647' }).site_id).toBe('2147483647');
  });

  it('refuses a site_id that is not a positive integer id', () => {
    // Site ids are PostgreSQL integers: beyond 2147483647 there is no site (and the lookup must not fail).
    for (const site_id of ['', 'abc', '1a', '-1', '1.5', '12345678901', '2147483648', '4294967295', 2147483648, ' 1', 0, -1, 1.5, null, true, [], {}]) refuses({ ...minimal, site_id });
    refuses({ url: 'https://a.com/' });
  });

  it('a full custom event with every optional field', () => {
    const body = {
      site_id: 3,
      type: 'event',
      url: 'https://shop.example.com/cart?x=1',
      referrer: 'https://google.com/',
      title: 'Cart',
      name: 'Purchase',
      props: { plan: 'pro', seats: 3, trial: false, coupon: null },
      revenue: { amount: 49.9, currency: 'EUR' },
      interactive: true,
      screen_width: 1920,
      screen_height: 1080,
      viewport_width: 1200,
      language: 'de-DE',
      user_id: 'u-1',
      ts: 1_780_000_000_000,
    };
    expect(accepts(body)).toEqual(body);
  });

  it('every event type, with the fields it needs', () => {
    for (const type of ['pageview', 'engagement', 'vitals'] as const) expect(accepts({ ...minimal, type }).type).toBe(type);
    for (const type of ['event', 'outbound', 'download'] as const) expect(accepts({ ...minimal, type, name: 'x' }).type).toBe(type);
    expect(accepts({ ...minimal, type: 'error', error: { message: 'boom' } }).error).toEqual({ message: 'boom' });
    refuses({ ...minimal, type: 'click' });
    refuses({ ...minimal, type: '' });
  });

  it('strips unknown fields at the top level and inside nested objects', () => {
    const data = accepts({
      ...minimal,
      foo: 1,
      client_ip: '1.2.3.4',
      visitor_id: '123',
      revenue: { amount: 1, currency: 'USD', fx: 2 },
      error: { message: 'm', extra: 'x' },
      type: 'error',
    });
    expect(data).toEqual({ site_id: '1', url: 'https://a.com/', type: 'error', revenue: { amount: 1, currency: 'USD' }, error: { message: 'm' } });
    expect(Object.keys(data)).not.toContain('foo');
  });

  it('keeps a valid ip and user_agent (the track route uses them only with an ingest API key)', () => {
    expect(accepts({ ...minimal, ip: '2001:db8::1', user_agent: 'Mozilla/5.0' })).toMatchObject({ ip: '2001:db8::1', user_agent: 'Mozilla/5.0' });
    refuses({ ...minimal, ip: '1.2.3' });
    refuses({ ...minimal, ip: 'localhost' });
  });
});

describe('trackPayloadSchema: limits', () => {
  it('url: 1..4096 characters', () => {
    const base = 'https://a.com/';
    accepts({ ...minimal, url: base + 'p'.repeat(4096 - base.length) });
    refuses({ ...minimal, url: base + 'p'.repeat(4097 - base.length) });
    refuses({ ...minimal, url: '' });
    refuses({ site_id: '1' });
  });

  it('title: at most 512', () => {
    accepts({ ...minimal, title: 't'.repeat(512) });
    expect(refuses({ ...minimal, title: 't'.repeat(513) }).join()).toContain('title');
  });

  it('name: at most 256', () => {
    accepts({ ...minimal, type: 'event', name: 'n'.repeat(256) });
    expect(refuses({ ...minimal, type: 'event', name: 'n'.repeat(257) }).join()).toContain('name');
  });

  it('referrer: at most 2048', () => {
    accepts({ ...minimal, referrer: 'r'.repeat(2048) });
    refuses({ ...minimal, referrer: 'r'.repeat(2049) });
  });

  it('props: at most 30 keys', () => {
    const props = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(accepts({ ...minimal, props: props(30) }).props!)).toHaveLength(30);
    expect(refuses({ ...minimal, props: props(31) }).join()).toContain('props');
  });

  it('props: at most 2 KB as JSON', () => {
    accepts({ ...minimal, props: propsOfJsonLength(2048) });
    expect(refuses({ ...minimal, props: propsOfJsonLength(2049) }).join()).toContain('props');
  });

  it('props: keys of 1..64 characters, values of at most 500 characters, scalar only', () => {
    accepts({ ...minimal, props: { ['k'.repeat(64)]: 'v'.repeat(500) } });
    refuses({ ...minimal, props: { ['k'.repeat(65)]: 'v' } });
    refuses({ ...minimal, props: { '': 'v' } });
    refuses({ ...minimal, props: { k: 'v'.repeat(501) } });
    refuses({ ...minimal, props: { k: { nested: 1 } } });
    refuses({ ...minimal, props: { k: [1, 2] } });
    refuses({ ...minimal, props: ['a'] });
  });

  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`props: refuses the key ${key} (as sent by a browser, i.e. parsed from JSON)`, () => {
      const body = JSON.parse(`{"site_id":"1","url":"https://a.com/","props":{"${key}":"x","ok":"y"}}`);
      expect(Object.keys(body.props)).toContain(key); // JSON.parse makes it an own key
      expect(refuses(body).join()).toContain('props');
    });
  }

  it('revenue: currency of exactly three letters; finite amount', () => {
    expect(accepts({ ...minimal, revenue: { amount: 10, currency: 'EUR' } }).revenue).toEqual({ amount: 10, currency: 'EUR' });
    accepts({ ...minimal, revenue: { amount: -5, currency: 'usd' } });
    for (const currency of ['EU', 'EURO', '', 'E1R', '€€€', 'US ', 'U$D']) {
      expect(refuses({ ...minimal, revenue: { amount: 10, currency } }).join(), currency).toContain('revenue.currency');
    }
    refuses({ ...minimal, revenue: { amount: 10 } });
    refuses({ ...minimal, revenue: { amount: '10', currency: 'EUR' } });
    refuses({ ...minimal, revenue: { amount: 2e12, currency: 'EUR' } });
  });

  it('event, outbound and download need a non-empty name', () => {
    for (const type of ['event', 'outbound', 'download']) {
      expect(refuses({ ...minimal, type }).join()).toContain('name');
      expect(refuses({ ...minimal, type, name: '' }).join()).toContain('name');
    }
  });

  it('error needs error.message', () => {
    expect(refuses({ ...minimal, type: 'error' }).join()).toContain('error');
    expect(refuses({ ...minimal, type: 'error', error: {} }).join()).toContain('error.message');
    refuses({ ...minimal, type: 'error', error: { message: 'm'.repeat(1025) } });
  });

  it('numeric fields within their ranges', () => {
    accepts({ ...minimal, type: 'engagement', engaged_ms: 86_400_000, scroll_depth: 100 });
    refuses({ ...minimal, engaged_ms: 86_400_001 });
    refuses({ ...minimal, engaged_ms: -1 });
    refuses({ ...minimal, scroll_depth: 101 });
    refuses({ ...minimal, screen_width: 1.5 });
    refuses({ ...minimal, screen_width: 100_001 });
    refuses({ ...minimal, ts: 1.5 });
    refuses({ ...minimal, language: 'x'.repeat(36) });
    refuses({ ...minimal, user_id: 'u'.repeat(257) });
  });

  it('refuses what is not an object', () => {
    for (const body of [null, 'x', 1, [], undefined]) refuses(body);
  });
});

describe('describeIssues', () => {
  it('gives one "path: message" line per problem', () => {
    const r = trackPayloadSchema.safeParse({ site_id: 'x', url: '', title: 't'.repeat(600) });
    expect(r.success).toBe(false);
    const lines = describeIssues(r.error!);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.some((l) => l.startsWith('site_id: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('url: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('title: '))).toBe(true);
  });
});
