import { describe, expect, it } from 'vitest';
import { channelOf, type ChannelInput } from './channel.js';
import { CHANNEL_RULES, CHANNELS, PAID_MEDIUM, type Channel } from './channel-rules.js';
import { sourceOf } from './referrer.js';
import { parsePageUrl, referrerHostOf } from './url.js';

const cases: [string, ChannelInput, Channel][] = [
  ['nothing', {}, 'Direct'],
  ['self-referral (source "" but a host)', { source: '', referrerHost: 'example.com' }, 'Direct'],
  ['Google referrer', { source: 'Google', referrerHost: 'www.google.com' }, 'Organic Search'],
  ['Google app', { source: 'Google', referrerHost: 'com.google.android.googlequicksearchbox' }, 'Organic Search'],
  ['utm_medium=organic', { source: 'some-engine.net', utmMedium: 'organic' }, 'Organic Search'],
  ['gclid', { source: 'Google', clickId: 'gclid' }, 'Paid Search'],
  ['gclid object from parsePageUrl', { source: 'Google', clickId: { name: 'gclid' } }, 'Paid Search'],
  ['gbraid without a referrer', { source: 'Google', clickId: 'gbraid' }, 'Paid Search'],
  ['google / cpc', { source: 'Google', utmSource: 'google', utmMedium: 'cpc' }, 'Paid Search'],
  ['bing / ppc', { source: 'Bing', utmMedium: 'PPC' }, 'Paid Search'],
  ['msclkid', { source: 'Bing', clickId: 'msclkid' }, 'Paid Search'],
  ['gclid on a YouTube referrer', { source: 'YouTube', referrerHost: 'www.youtube.com', clickId: 'gclid' }, 'Paid Video'],
  ['gclid with an unknown utm_source', { source: 'spring', utmSource: 'spring', clickId: 'gclid' }, 'Paid Search'],
  ['facebook / paid_social', { source: 'Facebook', utmMedium: 'paid_social' }, 'Paid Social'],
  ['fbclid alone is organic', { source: 'Facebook', referrerHost: 'l.facebook.com', clickId: 'fbclid' }, 'Organic Social'],
  ['fbclid with a paid medium', { source: 'Facebook', clickId: 'fbclid', utmMedium: 'cpc' }, 'Paid Social'],
  ['ttclid', { source: 'TikTok', clickId: 'ttclid' }, 'Paid Social'],
  ['li_fat_id', { source: 'LinkedIn', clickId: 'li_fat_id' }, 'Paid Social'],
  ['twclid', { source: 'Twitter/X', clickId: 'twclid' }, 'Paid Social'],
  ['youtube / cpv', { source: 'YouTube', utmMedium: 'cpv' }, 'Paid Video'],
  ['amazon / cpc', { source: 'Amazon', utmMedium: 'cpc' }, 'Paid Shopping'],
  ['shopping campaign, paid', { source: 'newsletter', utmMedium: 'paid', utmCampaign: 'Summer Shopping' }, 'Paid Shopping'],
  ['e-shop campaign, organic', { source: 'partner', utmCampaign: 'e-shop launch' }, 'Organic Shopping'],
  ['"workshop" is not shopping', { source: 'partner', utmCampaign: 'workshop', utmMedium: 'referral' }, 'Referral'],
  ['Amazon referrer', { source: 'Amazon', referrerHost: 'www.amazon.de' }, 'Organic Shopping'],
  ['display medium', { source: 'adnetwork', utmMedium: 'banner' }, 'Display'],
  ['cpm on an unknown network is paid display', { source: 'adnetwork', utmMedium: 'CPM' }, 'Display'],
  ['dclid', { source: 'Google Display', clickId: 'dclid' }, 'Display'],
  ['ad network referrer without click id', { source: 'Taboola', referrerHost: 'taboola.com' }, 'Display'],
  ['paid medium, unknown source', { source: 'partner-site.com', utmMedium: 'cpc' }, 'Paid Other'],
  ['retargeting', { source: 'criteo-ish', utmMedium: 'retargeting' }, 'Paid Other'],
  ['cross-network campaign', { source: 'Google', utmMedium: 'cpc', utmCampaign: 'PMax Cross-Network Q1' }, 'Cross-network'],
  ['ChatGPT referrer', { source: 'ChatGPT', referrerHost: 'chatgpt.com' }, 'AI'],
  ['utm_source=chatgpt.com (as ChatGPT tags links)', { source: 'ChatGPT', utmSource: 'chatgpt.com' }, 'AI'],
  ['Perplexity', { source: 'Perplexity', referrerHost: 'www.perplexity.ai' }, 'AI'],
  ['Claude', { source: 'Claude', referrerHost: 'claude.ai' }, 'AI'],
  ['Gemini', { source: 'Gemini', referrerHost: 'gemini.google.com' }, 'AI'],
  ['Copilot', { source: 'Copilot', referrerHost: 'copilot.microsoft.com' }, 'AI'],
  ['Twitter/X referrer', { source: 'Twitter/X', referrerHost: 't.co' }, 'Organic Social'],
  ['Hacker News', { source: 'Hacker News', referrerHost: 'news.ycombinator.com' }, 'Organic Social'],
  ['utm_medium=social', { source: 'partner', utmMedium: 'Social' }, 'Organic Social'],
  ['YouTube referrer', { source: 'YouTube', referrerHost: 'm.youtube.com' }, 'Organic Video'],
  ['utm_medium=video', { source: 'partner', utmMedium: 'explainer-video' }, 'Organic Video'],
  ['Spotify referrer', { source: 'Spotify', referrerHost: 'open.spotify.com' }, 'Audio'],
  ['utm_medium=audio', { source: 'radio', utmMedium: 'audio' }, 'Audio'],
  ['Gmail referrer', { source: 'Gmail', referrerHost: 'mail.google.com' }, 'Email'],
  ['utm_medium=email', { source: 'newsletter', utmMedium: 'email' }, 'Email'],
  ['utm_source=newsletter only', { source: 'newsletter', utmSource: 'newsletter' }, 'Email'],
  ['utm_medium=E-Mail', { source: 'acme', utmMedium: 'E-Mail' }, 'Email'],
  ['Substack', { source: 'Substack', referrerHost: 'substack.com' }, 'Email'],
  ['affiliate', { source: 'partner', utmMedium: 'affiliate' }, 'Affiliates'],
  ['sms source', { source: 'sms', utmSource: 'sms' }, 'SMS'],
  ['sms medium', { source: 'acme', utmMedium: 'SMS' }, 'SMS'],
  ['push medium', { source: 'app', utmMedium: 'web-push' }, 'Mobile Push Notifications'],
  ['notification medium', { source: 'app', utmMedium: 'notification' }, 'Mobile Push Notifications'],
  ['firebase', { source: 'firebase', utmSource: 'firebase' }, 'Mobile Push Notifications'],
  ['unknown referrer', { source: 'some-blog.org', referrerHost: 'www.some-blog.org' }, 'Referral'],
  ['known referral site', { source: 'GitHub', referrerHost: 'github.com' }, 'Referral'],
  ['utm_source=github, no medium', { source: 'GitHub', utmSource: 'github' }, 'Referral'],
  ['?ref= tag counts like a referrer', { source: 'partner', refParam: 'partner' }, 'Referral'],
  ['utm_medium=referral', { source: 'partner', utmMedium: 'referral' }, 'Referral'],
  ['utm_medium=link', { source: 'partner', utmMedium: 'link' }, 'Referral'],
  ['unknown utm_source, no medium, no referrer', { source: 'spring', utmSource: 'spring' }, 'Unassigned'],
  ['unknown medium', { source: 'spring', utmMedium: 'flyer' }, 'Unassigned'],
  ['campaign only', { utmCampaign: 'spring' }, 'Unassigned'],
  ['medium only, paid', { utmMedium: 'cpc' }, 'Paid Other'],
  ['hostile strings', { source: '<script>alert(1)</script>', utmMedium: '__proto__', utmCampaign: 'constructor' }, 'Unassigned'],
  ['null everywhere', { source: null, referrerHost: null, utmMedium: null, utmSource: null, utmCampaign: null, clickId: null, refParam: null }, 'Direct'],
];

describe('channelOf', () => {
  it.each(cases)('%s -> %s', (_label, input, expected) => {
    expect(channelOf(input)).toBe(expected);
  });
});

describe('channelOf with sourceOf and parsePageUrl together', () => {
  const visit = (url: string, referrer: string): Channel => {
    const page = parsePageUrl(url);
    if (!page) throw new Error(`bad test URL ${url}`);
    const source = sourceOf({ referrer, utmSource: page.utm.source, refParam: page.refParam, pageHostname: page.hostname, clickId: page.clickId });
    const referrerHost = source === '' ? '' : referrerHostOf(referrer);
    return channelOf({ source, referrerHost, utmMedium: page.utm.medium, utmSource: page.utm.source, utmCampaign: page.utm.campaign, clickId: page.clickId, refParam: page.refParam });
  };

  it.each<[string, string, Channel]>([
    ['https://example.com/', '', 'Direct'],
    ['https://example.com/b', 'https://example.com/a', 'Direct'],
    ['https://example.com/', 'https://www.google.com/', 'Organic Search'],
    ['https://example.com/?gclid=abc', '', 'Paid Search'],
    ['https://example.com/?utm_source=GOOGLE&utm_medium=CPC', 'https://www.google.com/', 'Paid Search'],
    ['https://example.com/?utm_source=chatgpt.com', '', 'AI'],
    ['https://example.com/?utm_source=newsletter&utm_medium=email', '', 'Email'],
    ['https://example.com/?ref=producthunt', 'https://www.producthunt.com/', 'Organic Social'],
    ['https://example.com/?fbclid=x', 'https://l.facebook.com/', 'Organic Social'],
    ['https://example.com/', 'https://blog.other.org/post', 'Referral'],
  ])('%s from %j -> %s', (url, referrer, expected) => {
    expect(visit(url, referrer)).toBe(expected);
  });
});

describe('CHANNEL_RULES table', () => {
  it('has one rule per channel, in CHANNELS order, Unassigned last as the fallback', () => {
    expect([...CHANNEL_RULES.map((r) => r.channel), 'Unassigned']).toEqual([...CHANNELS]);
  });

  it('has non-empty conditions and stateless regexes', () => {
    for (const rule of CHANNEL_RULES) {
      expect(rule.anyOf.length).toBeGreaterThan(0);
      for (const condition of rule.anyOf) {
        expect(Object.keys(condition).length).toBeGreaterThan(0);
        for (const value of Object.values(condition)) if (value instanceof RegExp) expect(value.global || value.sticky).toBe(false);
        for (const list of [condition.medium, condition.source]) for (const v of list ?? []) expect(v).toBe(v.toLowerCase());
      }
    }
  });

  it.each([
    ['cpc', true], ['cpm', true], ['cpv', true], ['ppc', true], ['paid', true], ['paid_social', true], ['retargeting', true],
    ['organic', false], ['email', false], ['', false], ['social', false],
  ])('paid medium %j -> %s', (medium, expected) => {
    expect(PAID_MEDIUM.test(medium)).toBe(expected);
  });
});
