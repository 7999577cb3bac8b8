// Site rules: host allow-list, excluded IPs/CIDRs, excluded path globs and excluded countries.
import { describe, expect, it } from 'vitest';
import { globToRegExp } from '@eesee/js/glob';
import { compileSiteRules } from './site-rules.js';
import { DEFAULT_SITE_SETTINGS, siteSettingsSchema, type SiteSettings } from './site-settings.js';

function rules(domain: string, patch: Partial<SiteSettings>) {
  return compileSiteRules(domain, { ...DEFAULT_SITE_SETTINGS, ...patch });
}

describe('hostAllowed', () => {
  it('allows any host when the allow-list is empty', () => {
    const r = rules('example.com', { allowedHostnames: [] });
    for (const h of ['example.com', 'www.example.com', 'localhost', 'evil.net', '127.0.0.1']) expect(r.hostAllowed(h)).toBe(true);
  });

  it('with a list, allows the site domain and the exact hosts listed, nothing else', () => {
    const r = rules('example.com', { allowedHostnames: ['staging.example.org', 'localhost'] });
    expect(r.hostAllowed('example.com')).toBe(true);
    expect(r.hostAllowed('staging.example.org')).toBe(true);
    expect(r.hostAllowed('localhost')).toBe(true);
    expect(r.hostAllowed('www.example.com')).toBe(false);
    expect(r.hostAllowed('example.org')).toBe(false);
    expect(r.hostAllowed('a.staging.example.org')).toBe(false);
    expect(r.hostAllowed('staging.example.org.evil.net')).toBe(false);
    expect(r.hostAllowed('xstaging.example.org')).toBe(false);
    expect(r.hostAllowed('')).toBe(false);
  });

  it('treats dots in exact names literally', () => {
    const r = rules('example.com', { allowedHostnames: ['a.b.org'] });
    expect(r.hostAllowed('a.b.org')).toBe(true);
    expect(r.hostAllowed('axb.org')).toBe(false);
    expect(r.hostAllowed('a.bxorg')).toBe(false);
    expect(r.hostAllowed('exampleXcom')).toBe(false);
  });

  it('"*.example.com" allows example.com and subdomains at any depth only', () => {
    const r = rules('mysite.net', { allowedHostnames: ['*.example.com'] });
    expect(r.hostAllowed('example.com')).toBe(true);
    expect(r.hostAllowed('a.example.com')).toBe(true);
    expect(r.hostAllowed('a.b.example.com')).toBe(true);
    expect(r.hostAllowed('www-1.shop.eu.example.com')).toBe(true);
    expect(r.hostAllowed('mysite.net')).toBe(true); // the site's own domain
    expect(r.hostAllowed('badexample.com')).toBe(false);
    expect(r.hostAllowed('example.com.evil.net')).toBe(false);
    expect(r.hostAllowed('a.example.com.evil.net')).toBe(false);
    expect(r.hostAllowed('exampleXcom')).toBe(false);
    expect(r.hostAllowed('a.exampleXcom')).toBe(false);
    expect(r.hostAllowed('example.org')).toBe(false);
    expect(r.hostAllowed('.example.com')).toBe(false);
  });

  it('ignores ports on the domain and on listed hosts (page hostnames carry none)', () => {
    const r = rules('localhost:8080', { allowedHostnames: ['dev.example.com:3000', '*.preview.example.com:443'] });
    expect(r.hostAllowed('localhost')).toBe(true);
    expect(r.hostAllowed('dev.example.com')).toBe(true);
    expect(r.hostAllowed('preview.example.com')).toBe(true);
    expect(r.hostAllowed('pr-12.preview.example.com')).toBe(true);
    expect(r.hostAllowed('example.com')).toBe(false);
  });

  it('works with settings normalised by the settings schema (trimmed, lower-cased)', () => {
    const settings = siteSettingsSchema.parse({ allowedHostnames: [' *.Example.COM ', 'Shop.Example.NET'] });
    const r = compileSiteRules('mysite.net', settings);
    expect(r.hostAllowed('a.example.com')).toBe(true);
    expect(r.hostAllowed('shop.example.net')).toBe(true);
    expect(r.hostAllowed('other.example.net')).toBe(false);
  });
});

describe('ipExcluded', () => {
  it('excludes nothing when the list is empty, whatever the input', () => {
    const r = rules('example.com', { excludedIps: [] });
    for (const ip of ['10.0.0.1', '::1', '', 'garbage']) expect(r.ipExcluded(ip)).toBe(false);
  });

  it('matches a single IPv4 exactly', () => {
    const r = rules('example.com', { excludedIps: ['203.0.113.7'] });
    expect(r.ipExcluded('203.0.113.7')).toBe(true);
    expect(r.ipExcluded('203.0.113.8')).toBe(false);
    expect(r.ipExcluded('203.0.113.70')).toBe(false);
    expect(r.ipExcluded('3.0.113.7')).toBe(false);
  });

  it('matches an IPv4 CIDR by prefix, edges included', () => {
    const r = rules('example.com', { excludedIps: ['10.0.0.0/8', '192.168.4.0/22'] });
    expect(r.ipExcluded('10.0.0.0')).toBe(true);
    expect(r.ipExcluded('10.255.255.255')).toBe(true);
    expect(r.ipExcluded('11.0.0.0')).toBe(false);
    expect(r.ipExcluded('9.255.255.255')).toBe(false);
    // 192.168.4.0/22 = 192.168.4.0 .. 192.168.7.255
    expect(r.ipExcluded('192.168.4.0')).toBe(true);
    expect(r.ipExcluded('192.168.7.255')).toBe(true);
    expect(r.ipExcluded('192.168.3.255')).toBe(false);
    expect(r.ipExcluded('192.168.8.0')).toBe(false);
  });

  it('a CIDR whose address has host bits set still matches by prefix', () => {
    const r = rules('example.com', { excludedIps: ['172.16.5.9/16'] });
    expect(r.ipExcluded('172.16.200.1')).toBe(true);
    expect(r.ipExcluded('172.17.0.1')).toBe(false);
  });

  it('matches IPv6 addresses and CIDRs whatever the notation', () => {
    const r = rules('example.com', { excludedIps: ['2001:db8::/32', 'fe80::1'] });
    expect(r.ipExcluded('2001:db8::1')).toBe(true);
    expect(r.ipExcluded('2001:0db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(r.ipExcluded('2001:DB8:abcd::')).toBe(true);
    expect(r.ipExcluded('2001:db9::1')).toBe(false);
    expect(r.ipExcluded('2001:db7:ffff::1')).toBe(false);
    expect(r.ipExcluded('fe80:0:0:0:0:0:0:1')).toBe(true);
    expect(r.ipExcluded('fe80::2')).toBe(false);
  });

  it('an IPv4-mapped IPv6 client address matches IPv4 entries', () => {
    const r = rules('example.com', { excludedIps: ['10.0.0.0/8', '198.51.100.23'] });
    expect(r.ipExcluded('::ffff:10.0.0.1')).toBe(true);
    expect(r.ipExcluded('::ffff:198.51.100.23')).toBe(true);
    expect(r.ipExcluded('::ffff:11.0.0.1')).toBe(false);
    expect(r.ipExcluded('::ffff:198.51.100.24')).toBe(false);
  });

  it('an entry written as an IPv4-mapped IPv6 address matches that address in either notation', () => {
    // Node on a dual-stack socket reports IPv4 clients as "::ffff:a.b.c.d", so admins copy that form.
    const r = rules('example.com', { excludedIps: ['::ffff:10.0.0.1', '::ffff:192.168.0.0/112'] });
    expect(r.ipExcluded('::ffff:10.0.0.1')).toBe(true);
    expect(r.ipExcluded('10.0.0.1')).toBe(true);
    expect(r.ipExcluded('192.168.1.1')).toBe(true);
    expect(r.ipExcluded('::ffff:192.168.1.1')).toBe(true);
    expect(r.ipExcluded('10.0.0.2')).toBe(false);
    expect(r.ipExcluded('192.169.0.1')).toBe(false);
  });

  it('IPv4 entries never match IPv6 addresses and IPv6 entries never match IPv4 ones', () => {
    const r4 = rules('example.com', { excludedIps: ['0.0.0.0/0'] });
    expect(r4.ipExcluded('8.8.8.8')).toBe(true);
    expect(r4.ipExcluded('2001:db8::1')).toBe(false);
    const r6 = rules('example.com', { excludedIps: ['2001:db8::/32'] });
    expect(r6.ipExcluded('32.1.13.184')).toBe(false); // same leading bits as 2001:0db8
  });

  it('ignores invalid entries and keeps the valid ones', () => {
    const r = rules('example.com', {
      excludedIps: ['not-an-ip', '10.0.0.0/33', '2001:db8::/129', '300.1.1.1', '', '1.2.3.4/', '/8', 'fe80::zz', '203.0.113.7'],
    });
    expect(r.ipExcluded('203.0.113.7')).toBe(true);
    expect(r.ipExcluded('10.0.0.1')).toBe(false);
    expect(r.ipExcluded('2001:db8::1')).toBe(false);
    expect(r.ipExcluded('1.2.3.4')).toBe(false);
  });

  it('a list of only invalid entries excludes nothing', () => {
    const r = rules('example.com', { excludedIps: ['nope', '999.999.999.999/8'] });
    expect(r.ipExcluded('10.0.0.1')).toBe(false);
  });

  it('never throws on an invalid client address', () => {
    const r = rules('example.com', { excludedIps: ['10.0.0.0/8', '2001:db8::/32'] });
    for (const ip of ['', 'unknown', '999.1.1.1', '10.0.0.1.5', '::ffff:', ':::', '2001:db8::g', 'localhost', ' 10.0.0.1x', '\u0000']) {
      expect(() => r.ipExcluded(ip)).not.toThrow();
      expect(r.ipExcluded(ip)).toBe(false);
    }
  });
});

describe('pathExcluded and globToRegExp', () => {
  it('"/admin/*" matches one segment below /admin only', () => {
    const r = rules('example.com', { excludedPaths: ['/admin/*'] });
    expect(r.pathExcluded('/admin/users')).toBe(true);
    expect(r.pathExcluded('/admin/')).toBe(true);
    expect(r.pathExcluded('/admin/users/42')).toBe(false);
    expect(r.pathExcluded('/admin')).toBe(false);
    expect(r.pathExcluded('/administrator/x')).toBe(false);
    expect(r.pathExcluded('/x/admin/users')).toBe(false);
  });

  it('"/admin/**" matches any depth below /admin', () => {
    const r = rules('example.com', { excludedPaths: ['/admin/**'] });
    expect(r.pathExcluded('/admin/users')).toBe(true);
    expect(r.pathExcluded('/admin/users/42/edit')).toBe(true);
    expect(r.pathExcluded('/admin/')).toBe(true);
    expect(r.pathExcluded('/admin')).toBe(true); // the folder itself, as data-exclude does
    expect(r.pathExcluded('/administrator/x')).toBe(false);
    expect(r.pathExcluded('/x/admin/users')).toBe(false);
  });

  it('"*" inside a segment, e.g. "/docs/*.pdf"', () => {
    const r = rules('example.com', { excludedPaths: ['/docs/*.pdf'] });
    expect(r.pathExcluded('/docs/guide.pdf')).toBe(true);
    expect(r.pathExcluded('/docs/.pdf')).toBe(true);
    expect(r.pathExcluded('/docs/guide.pdfx')).toBe(false);
    expect(r.pathExcluded('/docs/guideXpdf')).toBe(false);
    expect(r.pathExcluded('/docs/sub/guide.pdf')).toBe(false);
  });

  it('"**" in the middle crosses segments', () => {
    const re = globToRegExp('/shop/**/checkout');
    expect(re.test('/shop/a/checkout')).toBe(true);
    expect(re.test('/shop/a/b/c/checkout')).toBe(true);
    expect(re.test('/shop/a/checkout/x')).toBe(false);
  });

  it('matches whole paths only (anchored)', () => {
    const r = rules('example.com', { excludedPaths: ['/login'] });
    expect(r.pathExcluded('/login')).toBe(true);
    expect(r.pathExcluded('/login/')).toBe(false);
    expect(r.pathExcluded('/x/login')).toBe(false);
    expect(r.pathExcluded('/loginx')).toBe(false);
  });

  it('treats dots and other regex metacharacters literally', () => {
    const cases: [string, string, string[]][] = [
      ['/file.html', '/file.html', ['/fileXhtml', '/file-html']],
      ['/a+b', '/a+b', ['/aab', '/aaab']],
      ['/(x)', '/(x)', ['/x']],
      ['/[ab]', '/[ab]', ['/a', '/b']],
      ['/a|b', '/a|b', ['/a', 'b']],
      ['/^x$', '/^x$', ['/x']],
      ['/a{2}', '/a{2}', ['/aa']],
      ['/a?', '/a?', ['/a', '/']],
      ['/c\\d', '/c\\d', ['/c1']],
      ['/$price/*.json', '/$price/list.json', ['/$price/listXjson']],
    ];
    for (const [glob, yes, nos] of cases) {
      const re = globToRegExp(glob);
      expect(re.test(yes), `${glob} vs ${yes}`).toBe(true);
      for (const no of nos) expect(re.test(no), `${glob} vs ${no}`).toBe(false);
    }
  });

  it('any of several globs excludes; no globs excludes nothing', () => {
    const r = rules('example.com', { excludedPaths: ['/a/*', '/b/**'] });
    expect(r.pathExcluded('/a/1')).toBe(true);
    expect(r.pathExcluded('/b/1/2')).toBe(true);
    expect(r.pathExcluded('/c/1')).toBe(false);
    expect(rules('example.com', { excludedPaths: [] }).pathExcluded('/anything')).toBe(false);
  });
});

describe('countryExcluded', () => {
  it('matches the listed ISO codes only', () => {
    const r = rules('example.com', { excludedCountries: ['DE', 'FR'] });
    expect(r.countryExcluded('DE')).toBe(true);
    expect(r.countryExcluded('FR')).toBe(true);
    expect(r.countryExcluded('US')).toBe(false);
    expect(r.countryExcluded('')).toBe(false);
  });

  it('works with codes normalised by the settings schema', () => {
    const r = compileSiteRules('example.com', siteSettingsSchema.parse({ excludedCountries: [' de ', 'nl'] }));
    expect(r.countryExcluded('DE')).toBe(true);
    expect(r.countryExcluded('NL')).toBe(true);
    expect(r.countryExcluded('BE')).toBe(false);
  });

  it('excludes nothing by default', () => {
    const r = compileSiteRules('example.com', DEFAULT_SITE_SETTINGS);
    expect(r.countryExcluded('DE')).toBe(false);
    expect(r.ipExcluded('10.0.0.1')).toBe(false);
    expect(r.pathExcluded('/admin')).toBe(false);
    expect(r.hostAllowed('anything.example')).toBe(true);
  });
});
