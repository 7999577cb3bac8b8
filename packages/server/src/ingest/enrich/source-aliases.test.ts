import { describe, expect, it } from 'vitest';
import { CLICK_IDS, REF_PARAMS, TRACKING_PARAMS } from './click-ids.js';
import { SOURCE_ALIASES, SOURCE_CATEGORIES } from './source-aliases.js';
import { aliasOfApp, aliasOfHost, aliasOfSpelling, categoryOfSource, compactName } from './source-lookup.js';

describe('SOURCE_ALIASES table', () => {
  it('is a solid table of a few hundred hosts', () => {
    const hosts = SOURCE_ALIASES.flatMap((a) => a.hosts);
    expect(hosts.length).toBeGreaterThanOrEqual(300);
  });

  it('has unique names, hosts, apps and spellings', () => {
    const seen = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);
    expect(seen(SOURCE_ALIASES.map((a) => a.name.toLowerCase()))).toEqual([]);
    expect(seen(SOURCE_ALIASES.flatMap((a) => a.hosts))).toEqual([]);
    expect(seen(SOURCE_ALIASES.flatMap((a) => a.apps ?? []).map((s) => s.toLowerCase()))).toEqual([]);
    expect(seen(SOURCE_ALIASES.flatMap((a) => [a.name, ...(a.aliases ?? [])].map(compactName)))).toEqual([]);
  });

  it('writes hosts lower-case, without scheme, www., port or path', () => {
    for (const { name, hosts } of SOURCE_ALIASES) {
      expect(hosts.length, name).toBeGreaterThan(0);
      for (const host of hosts) expect(host, name).toMatch(/^(?!www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)*(?:\.[a-z0-9-]+|\.\*)$/);
    }
  });

  it('uses known categories and readable names', () => {
    for (const { name, category } of SOURCE_ALIASES) {
      expect(SOURCE_CATEGORIES).toContain(category);
      expect(name.trim()).toBe(name);
      expect(compactName(name)).not.toBe('');
    }
  });

  it('finds every listed host back to its own entry', () => {
    for (const alias of SOURCE_ALIASES) {
      for (const host of alias.hosts) {
        const concrete = host.endsWith('.*') ? `${host.slice(0, -2)}.com` : host;
        expect(aliasOfHost(concrete)?.name, host).toBe(alias.name);
      }
      for (const app of alias.apps ?? []) expect(aliasOfApp(app)?.name).toBe(alias.name);
    }
  });

  it('names click-id networks that exist in the table', () => {
    for (const rule of CLICK_IDS) {
      expect(aliasOfSpelling(rule.source)?.name, rule.param).toBe(rule.source);
      expect(rule.param).toBe(rule.param.toLowerCase());
    }
    for (const p of [...TRACKING_PARAMS, ...REF_PARAMS]) expect(p).toBe(p.toLowerCase());
  });
});

describe('aliasOfHost', () => {
  it.each([
    ['google.com', 'Google'],
    ['www.google.com', 'Google'],
    ['google.de', 'Google'],
    ['www.google.co.uk', 'Google'],
    ['google.com.au', 'Google'],
    ['images.google.fr', 'Google'],
    ['mail.google.com', 'Gmail'],
    ['gemini.google.com', 'Gemini'],
    ['news.google.com', 'Google News'],
    ['GOOGLE.COM.', 'Google'],
    ['cn.bing.com', 'Bing'],
    ['edgeservices.bing.com', 'Copilot'],
    ['search.yahoo.co.jp', 'Yahoo'],
    ['uk.mail.yahoo.com', 'Yahoo Mail'],
    ['mail.yandex.com.tr', 'Yandex Mail'],
    ['yandex.ru', 'Yandex'],
    ['l.facebook.com', 'Facebook'],
    ['lm.facebook.com', 'Facebook'],
    ['m.facebook.com', 'Facebook'],
    ['l.instagram.com', 'Instagram'],
    ['t.co', 'Twitter/X'],
    ['mobile.twitter.com', 'Twitter/X'],
    ['old.reddit.com', 'Reddit'],
    ['out.reddit.com', 'Reddit'],
    ['m.youtube.com', 'YouTube'],
    ['music.youtube.com', 'YouTube Music'],
    ['en.m.wikipedia.org', 'Wikipedia'],
    ['gist.github.com', 'GitHub'],
    ['eur01.safelinks.protection.outlook.com', 'Outlook'],
    ['amazon.co.uk', 'Amazon'],
    ['aws.amazon.com', 'AWS'],
    ['fosstodon.org', 'Mastodon'],
    ['mastodon.example.org', 'Mastodon'],
    ['social.example.com', undefined],
    ['substack.com', 'Substack'],
    ['someone.substack.com', undefined],
    ['medium.com', 'Medium'],
    ['blog.medium.com', undefined],
    ['google.evil.com', undefined],
    ['google.com.evil.net', undefined],
    ['notgoogle.com', undefined],
    ['xgoogle.de', undefined],
    ['example.com', undefined],
    ['', undefined],
    ['a'.repeat(300), undefined],
  ])('%s -> %s', (host, expected) => {
    expect(aliasOfHost(host)?.name).toBe(expected);
  });
});

describe('aliasOfSpelling and categoryOfSource', () => {
  it.each([
    ['google', 'Google'],
    ['GOOGLE', 'Google'],
    ['Hacker News', 'Hacker News'],
    ['hacker-news', 'Hacker News'],
    ['hn', 'Hacker News'],
    ['twitter', 'Twitter/X'],
    ['X', 'Twitter/X'],
    ['fb', 'Facebook'],
    ['ig', 'Instagram'],
    ['chatgpt', 'ChatGPT'],
    ['openai', 'ChatGPT'],
    ['newsletter', undefined],
    ['', undefined],
    ['__proto__', undefined],
    ['constructor', undefined],
  ])('%j -> %s', (spelling, expected) => {
    expect(aliasOfSpelling(spelling)?.name).toBe(expected);
  });

  it.each([
    ['Google', 'search'],
    ['google', 'search'],
    ['ChatGPT', 'ai'],
    ['Gmail', 'email'],
    ['YouTube', 'video'],
    ['Amazon', 'shopping'],
    ['GitHub', 'referral'],
    ['hn', ''], // a spelling, not a stored name
    ['example.com', ''],
    ['', ''],
    [null, ''],
    ['__proto__', ''],
  ])('category of %j is %j', (source, expected) => {
    expect(categoryOfSource(source)).toBe(expected);
  });
});
