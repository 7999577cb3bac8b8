import { describe, expect, it } from 'vitest';
import { sourceOf, sourceOfTag, type SourceInput } from './referrer.js';

const SITE: SourceInput = { siteHosts: ['example.com'], pageHostname: 'example.com' };

describe('sourceOf: from the referrer', () => {
  it.each([
    ['https://www.google.com/', 'Google'],
    ['https://www.google.co.uk/search?q=x', 'Google'],
    ['https://google.com.br/', 'Google'],
    ['android-app://com.google.android.googlequicksearchbox/', 'Google'],
    ['android-app://com.google.android.gm/', 'Gmail'],
    ['android-app://com.example.reader/', 'com.example.reader'],
    ['https://www.bing.com/', 'Bing'],
    ['https://duckduckgo.com/', 'DuckDuckGo'],
    ['https://t.co/abc', 'Twitter/X'],
    ['https://x.com/someone/status/1', 'Twitter/X'],
    ['https://l.facebook.com/l.php?u=x', 'Facebook'],
    ['https://lm.facebook.com/', 'Facebook'],
    ['https://m.facebook.com/', 'Facebook'],
    ['https://www.linkedin.com/feed/', 'LinkedIn'],
    ['https://lnkd.in/abc', 'LinkedIn'],
    ['https://news.ycombinator.com/item?id=1', 'Hacker News'],
    ['https://chatgpt.com/', 'ChatGPT'],
    ['https://chat.openai.com/', 'ChatGPT'],
    ['https://www.perplexity.ai/', 'Perplexity'],
    ['https://claude.ai/', 'Claude'],
    ['https://gemini.google.com/app', 'Gemini'],
    ['https://copilot.microsoft.com/', 'Copilot'],
    ['https://search.brave.com/search?q=x', 'Brave Search'],
    ['https://mail.google.com/', 'Gmail'],
    ['https://outlook.live.com/', 'Outlook'],
    ['https://www.youtube.com/watch?v=1', 'YouTube'],
    ['https://github.com/org/repo', 'GitHub'],
    ['https://www.producthunt.com/posts/x', 'Product Hunt'],
    ['https://someone.substack.com/p/post', 'someone.substack.com'],
    // Unknown hosts: bare, without www., IDN readable.
    ['https://www.Some-Blog.org/post', 'some-blog.org'],
    ['https://blog.example.net:8443/x', 'blog.example.net'],
    ['https://bücher.de/', 'bücher.de'],
    ['https://xn--bcher-kva.de/', 'bücher.de'],
    // Not a source.
    ['', ''],
    ['about:blank', ''],
    ['chrome-extension://abc/x.html', ''],
    ['not a url', ''],
  ])('%j -> %j', (referrer, expected) => {
    expect(sourceOf({ ...SITE, referrer })).toBe(expected);
  });
});

describe('sourceOf: own hosts are not a source', () => {
  it.each<[string, SourceInput, string]>([
    ['page host', { referrer: 'https://shop.test/cart', pageHostname: 'shop.test' }, ''],
    ['page host, other case and www.', { referrer: 'https://WWW.Shop.Test/', pageHostname: 'shop.test' }, ''],
    ['listed host', { referrer: 'https://docs.example.com/', siteHosts: ['docs.example.com'], pageHostname: 'example.com' }, ''],
    ['unlisted subdomain is a referral', { referrer: 'https://docs.example.com/', siteHosts: ['example.com'], pageHostname: 'example.com' }, 'docs.example.com'],
    ['*. covers subdomains', { referrer: 'https://a.b.example.com/', siteHosts: ['*.example.com'] }, ''],
    ['*. covers the apex', { referrer: 'https://example.com/', siteHosts: ['*.example.com'] }, ''],
    ['*. does not cover look-alikes', { referrer: 'https://badexample.com/', siteHosts: ['*.example.com'] }, 'badexample.com'],
    ['site host written as URL with port', { referrer: 'https://example.com/', siteHosts: ['https://Example.com:443/'] }, ''],
    ['Unicode site host vs punycode referrer', { referrer: 'https://xn--bcher-kva.de/', siteHosts: ['bücher.de'] }, ''],
    ['blank site hosts ignored', { referrer: 'https://other.org/', siteHosts: ['', '  ', '*.'] }, 'other.org'],
    ['no site hosts given', { referrer: 'https://other.org/' }, 'other.org'],
  ])('%s', (_label, input, expected) => {
    expect(sourceOf(input)).toBe(expected);
  });
});

describe('sourceOf: precedence', () => {
  it.each<[string, SourceInput, string]>([
    ['utm_source beats the referrer', { referrer: 'https://www.google.com/', utmSource: 'newsletter' }, 'newsletter'],
    ['ref beats the referrer', { referrer: 'https://www.google.com/', refParam: 'producthunt' }, 'Product Hunt'],
    ['utm_source beats ref', { utmSource: 'twitter', refParam: 'producthunt' }, 'Twitter/X'],
    ['blank utm_source falls through', { utmSource: '   ', referrer: 'https://t.co/x' }, 'Twitter/X'],
    ['utm_source wins even on a self-referral', { utmSource: 'Mail', referrer: 'https://example.com/', pageHostname: 'example.com' }, 'mail'],
    ['click id names the network when nothing else does', { clickId: 'gclid' }, 'Google'],
    ['click id object form', { clickId: { name: 'msclkid' } }, 'Bing'],
    ['click id after a self-referral', { clickId: 'fbclid', referrer: 'https://example.com/', pageHostname: 'example.com' }, 'Facebook'],
    ['referrer beats the click id', { clickId: 'gclid', referrer: 'https://www.youtube.com/' }, 'YouTube'],
    ['unknown click id', { clickId: 'zzclid' }, ''],
    ['nothing at all is Direct', {}, ''],
  ])('%s', (_label, input, expected) => {
    expect(sourceOf(input)).toBe(expected);
  });
});

describe('sourceOfTag', () => {
  it.each([
    ['google', 'Google'],
    ['GOOGLE', 'Google'],
    [' Google ', 'Google'],
    ['google.com', 'Google'],
    ['www.google.de', 'Google'],
    ['chatgpt.com', 'ChatGPT'],
    ['https://news.ycombinator.com/', 'Hacker News'],
    ['hacker_news', 'Hacker News'],
    ['fb', 'Facebook'],
    ['x', 'Twitter/X'],
    ['LinkedIn', 'LinkedIn'],
    ['Newsletter', 'newsletter'],
    ['  Spring   Promo ', 'spring promo'],
    ['www.Partner-Site.com', 'partner-site.com'],
    ['newsletter.2024', 'newsletter.2024'],
    ['v1.2', 'v1.2'],
    ['<script>alert(1)</script>', '<script>alert(1)</script>'],
    ['a\u0000b\nc', 'ab c'],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['', ''],
    ['\u0000', ''],
  ])('%j -> %j', (tag, expected) => {
    expect(sourceOfTag(tag)).toBe(expected);
  });

  it('clips long tags without splitting characters', () => {
    expect(sourceOfTag('x'.repeat(127) + '😀😀')).toBe('x'.repeat(127));
    expect(sourceOfTag('y'.repeat(10_000)).length).toBe(128);
  });

  it('tolerates non-strings at run time', () => {
    expect(sourceOfTag(null)).toBe('');
    expect(sourceOfTag(undefined)).toBe('');
    expect(sourceOfTag(5 as unknown as string)).toBe('');
  });
});
