import { describe, expect, it } from 'vitest';
import { parsePageUrl, referrerHostOf, type PageUrl, type UrlRules } from './url.js';

const NO_UTM = { source: '', medium: '', campaign: '', term: '', content: '' };
const page = (over: Partial<PageUrl>): PageUrl => ({ hostname: 'example.com', pathname: '/', query: '', utm: NO_UTM, clickId: null, refParam: '', ...over });

describe('parsePageUrl: host and path', () => {
  it.each<[string, string, Partial<PageUrl>]>([
    ['root', 'https://example.com/', {}],
    ['no path', 'https://example.com', {}],
    ['mixed-case host, port, trailing dot', 'https://WWW.Example.COM.:8443/Pricing', { hostname: 'www.example.com', pathname: '/Pricing' }],
    ['IDN host stays punycode', 'https://münchen.de/straße', { hostname: 'xn--mnchen-3ya.de', pathname: '/straße' }],
    ['percent-encoded UTF-8 path', 'https://example.com/caf%C3%A9/%E6%97%A5%E6%9C%AC', { pathname: '/café/日本' }],
    ['raw Unicode path', 'https://example.com/café', { pathname: '/café' }],
    ['spaces', 'https://example.com/a%20b c', { pathname: '/a b c' }],
    ['invalid escapes kept', 'https://example.com/%E0%A4%A/%zz/100%', { pathname: '/%E0%A4%A/%zz/100%' }],
    ['encoded slash, ? and # stay encoded', 'https://example.com/a%2Fb%3Fc%23d', { pathname: '/a%2Fb%3Fc%23d' }],
    ['control characters stay encoded', 'https://example.com/a%0Ab%00', { pathname: '/a%0Ab%00' }],
    ['trailing slash merged', 'https://example.com/blog/', { pathname: '/blog' }],
    ['several trailing slashes', 'https://example.com/blog///', { pathname: '/blog' }],
    ['fragment dropped', 'https://example.com/docs#install', { pathname: '/docs' }],
    ['hash route ignored without hashRouting', 'https://example.com/#/users', { pathname: '/' }],
    ['dot segments resolved by the URL parser', 'https://example.com/a/../b/./c', { pathname: '/b/c' }],
    ['script injection is plain text', 'https://example.com/%3Cscript%3Ealert(1)%3C/script%3E', { pathname: '/<script>alert(1)</script>' }],
    ['credentials ignored', 'https://user:pw@example.com/x', { pathname: '/x' }],
    ['localhost with port', 'http://localhost:3000/dev/', { hostname: 'localhost', pathname: '/dev' }],
    ['IPv6 host', 'http://[::1]:8080/x', { hostname: '[::1]', pathname: '/x' }],
  ])('%s', (_label, url, expected) => {
    expect(parsePageUrl(url)).toEqual(page(expected));
  });

  it('keeps trailing slashes when the site turns merging off', () => {
    expect(parsePageUrl('https://example.com/blog/', { trailingSlashMerge: false })?.pathname).toBe('/blog/');
    expect(parsePageUrl('https://example.com/', { trailingSlashMerge: false })?.pathname).toBe('/');
  });
});

describe('parsePageUrl: hash routing', () => {
  const rules: UrlRules = { hashRouting: true };
  it.each([
    ['https://example.com/#/a', '/a', ''],
    ['https://example.com/#!/a/b/', '/a/b', ''],
    ['https://example.com/app/#/users/1', '/app/users/1', ''],
    ['https://example.com/#/search?q=caf%C3%A9&utm_source=x', '/search', 'q=caf%C3%A9'],
    ['https://example.com/?lang=de#/a?tab=2', '/a', 'lang=de&tab=2'],
    ['https://example.com/docs#install', '/docs', ''],
    ['https://example.com/#', '/', ''],
    ['https://example.com/#/', '/', ''],
  ])('%s -> %s ? %s', (url, pathname, query) => {
    const parsed = parsePageUrl(url, rules);
    expect(parsed?.pathname).toBe(pathname);
    expect(parsed?.query).toBe(query);
  });
});

describe('parsePageUrl: query, UTM, click ids, ref', () => {
  it('splits UTM tags out, decoded, first occurrence wins, case of values kept', () => {
    const parsed = parsePageUrl(
      'https://example.com/p?utm_source=Google&UTM_MEDIUM=cpc&utm_campaign=Spring+Sale%202025&utm_term=caf%C3%A9&utm_content=hero&utm_source=bing&utm_id=42&x=1',
    );
    expect(parsed).toEqual(
      page({
        pathname: '/p',
        query: 'x=1',
        utm: { source: 'Google', medium: 'cpc', campaign: 'Spring Sale 2025', term: 'café', content: 'hero' },
      }),
    );
  });

  it('takes the first click id by precedence and removes all of them', () => {
    const parsed = parsePageUrl('https://example.com/?fbclid=FB1&a=1&GCLID=G1&msclkid=M1&b=2');
    expect(parsed?.clickId).toEqual({ name: 'gclid', value: 'G1' });
    expect(parsed?.query).toBe('a=1&b=2');
  });

  it('keeps the query as sent, in order, minus tracking and excluded parameters', () => {
    const rules: UrlRules = { excludedQueryParams: ['Session', 'fb_*', ' ', '*'] };
    const parsed = parsePageUrl('https://example.com/?q=a+b%20c&session=abc&fb_action=1&fb_ref=2&_gl=1*x&srsltid=Q&z=&&flag', rules);
    expect(parsed?.query).toBe('q=a+b%20c&z=&flag');
  });

  it('reads ?ref= as a tag and leaves it in the query', () => {
    const parsed = parsePageUrl('https://example.com/?ref=Product%20Hunt&x=1');
    expect(parsed?.refParam).toBe('Product Hunt');
    expect(parsed?.query).toBe('ref=Product%20Hunt&x=1');
  });

  it('treats __proto__ and friends as ordinary keys', () => {
    const parsed = parsePageUrl('https://example.com/?__proto__=1&constructor=2&utm___proto__=3&toString=4');
    expect(parsed?.query).toBe('__proto__=1&constructor=2&toString=4');
    expect(parsed?.utm).toEqual(NO_UTM);
    expect(Object.getPrototypeOf(parsed?.utm)).toBe(Object.prototype);
  });

  it('returns script injection in tags as plain text, without control characters', () => {
    const parsed = parsePageUrl('https://example.com/?utm_source=%3Cscript%3Ealert(1)%3C%2Fscript%3E&utm_campaign=a%0D%0Ab%00c');
    expect(parsed?.utm.source).toBe('<script>alert(1)</script>');
    expect(parsed?.utm.campaign).toBe('a bc');
  });

  it('keeps invalid escapes in tags as written', () => {
    expect(parsePageUrl('https://example.com/?utm_source=%E0%A4%A&utm_medium=%')?.utm).toEqual({ ...NO_UTM, source: '%E0%A4%A', medium: '%' });
  });
});

describe('parsePageUrl: limits and refusals', () => {
  it('clips very long paths and queries', () => {
    const parsed = parsePageUrl(`https://example.com/${'a'.repeat(10_000)}?${Array.from({ length: 1000 }, (_, i) => `k${i}=v`).join('&')}&utm_campaign=${'c'.repeat(5000)}`);
    expect(parsed?.pathname.length).toBe(2048);
    expect(parsed?.query.length).toBeLessThanOrEqual(2048);
    expect(parsed?.query.endsWith('=v')).toBe(true);
    expect(parsed?.utm.campaign.length).toBe(256);
  });

  it('does not cut a path inside a surrogate pair', () => {
    const parsed = parsePageUrl(`https://example.com/${'a'.repeat(2046)}😀`);
    expect(parsed?.pathname).toBe(`/${'a'.repeat(2046)}`);
  });

  it.each(['', 'not a url', '/relative/path', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi', 'ftp://example.com/x', 'https://', 'http://exa mple.com/'])(
    'refuses %j',
    (url) => {
      expect(parsePageUrl(url)).toBeNull();
    },
  );

  it('refuses a non-string at run time', () => {
    expect(parsePageUrl(42 as unknown as string)).toBeNull();
  });
});

describe('referrerHostOf', () => {
  it.each([
    ['https://www.Google.co.uk/search?q=x', 'www.google.co.uk'],
    ['https://news.ycombinator.com/item?id=1', 'news.ycombinator.com'],
    ['http://example.com:8080/a', 'example.com'],
    ['https://example.com./', 'example.com'],
    ['https://bücher.de/', 'xn--bcher-kva.de'],
    ['android-app://com.google.android.googlequicksearchbox/', 'com.google.android.googlequicksearchbox'],
    ['android-app://com.Slack', 'com.slack'],
    ['news.example.com/path', 'news.example.com'],
    ['localhost:3000/x', 'localhost'],
    ['', ''],
    ['   ', ''],
    ['about:blank', ''],
    ['chrome-extension://abcdef/popup.html', ''],
    ['file:///C:/x.html', ''],
    ['not a url at all', ''],
    ['<script>alert(1)</script>', ''],
  ])('%j -> %j', (referrer, expected) => {
    expect(referrerHostOf(referrer)).toBe(expected);
  });

  it('tolerates null and undefined', () => {
    expect(referrerHostOf(null)).toBe('');
    expect(referrerHostOf(undefined)).toBe('');
  });
});
