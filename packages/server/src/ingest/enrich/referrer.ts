// Visit source: a readable name from utm_source, ?ref=, the referrer (through the alias table) or a click id.
import { domainToASCII, domainToUnicode } from 'node:url';
import { clickIdRuleOf } from './click-ids.js';
import { aliasOfApp, aliasOfHost, aliasOfSpelling } from './source-lookup.js';
import { clipText } from './percent-decode.js';
import { cleanTag, referrerHostOf } from './url.js';

export interface SourceInput {
  referrer?: string | null;
  utmSource?: string | null;
  refParam?: string | null;
  /**
   * The site's own hosts: a referrer from one of them is not a source. Compared without case, port and "www.";
   * "*.example.com" also covers every subdomain (and example.com itself).
   */
  siteHosts?: readonly string[];
  /** The page's own hostname, always treated as one of the site's hosts. */
  pageHostname?: string | null;
  /** The click id parameter of the landing URL ("gclid"), used only when nothing else names the source. */
  clickId?: string | { name: string } | null;
}

export const SOURCE_MAX_LENGTH = 128;

/**
 * Precedence: utm_source, then ?ref=, then the referrer, then the click id's network. "" means Direct / None.
 * Known names come back canonical ("google", "GOOGLE", "google.com" -> "Google"); unknown tags lower-case and
 * trimmed; unknown referrer hosts bare (no "www.", IDN shown in Unicode).
 */
export function sourceOf(input: SourceInput): string {
  const tagged = sourceOfTag(input.utmSource) || sourceOfTag(input.refParam);
  if (tagged) return tagged;

  const host = referrerHostOf(input.referrer);
  if (host !== '' && !isOwnHost(host, input.siteHosts ?? [], input.pageHostname)) {
    if (/^android-app:/i.test((input.referrer ?? '').trim())) return aliasOfApp(host)?.name ?? clip(host);
    return aliasOfHost(host)?.name ?? bareHost(host);
  }

  const clickParam = typeof input.clickId === 'string' ? input.clickId : input.clickId?.name;
  return clickIdRuleOf(clickParam)?.source ?? '';
}

/** A utm_source or ref value as a source name; "" when blank. */
export function sourceOfTag(tag: string | null | undefined): string {
  if (typeof tag !== 'string') return '';
  const value = cleanTag(tag);
  if (value === '') return '';
  const known = aliasOfSpelling(value);
  if (known) return known.name;
  // utm_source=news.ycombinator.com or =https://t.co/... : read it as a host.
  if (/^(?:https?:\/\/)?[^\s/]+\.[^\s/.]{2,}(?:[/?#]|$)/i.test(value)) {
    const host = referrerHostOf(value);
    if (host !== '') return aliasOfHost(host)?.name ?? bareHost(host);
  }
  return clip(value.toLowerCase());
}

function isOwnHost(host: string, siteHosts: readonly string[], pageHostname: string | null | undefined): boolean {
  const candidate = withoutWww(host);
  for (const raw of pageHostname ? [...siteHosts, pageHostname] : siteHosts) {
    const siteHost = normaliseSiteHost(raw);
    if (siteHost === '') continue;
    if (siteHost.startsWith('*.')) {
      const base = siteHost.slice(2);
      if (candidate === base || candidate.endsWith(`.${base}`)) return true;
    } else if (candidate === siteHost) return true;
  }
  return false;
}

/** "https://WWW.Example.com:8080/x" -> "example.com"; Unicode hosts -> punycode, as referrers arrive. */
function normaliseSiteHost(raw: string): string {
  let host = raw.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  host = host.replace(/[/?#].*$/s, '').replace(/:\d*$/, '').replace(/\.$/, '');
  const wildcard = host.startsWith('*.');
  if (wildcard) host = host.slice(2);
  if (/[^\x00-\x7f]/.test(host)) host = domainToASCII(host) || host;
  host = withoutWww(host);
  return host === '' ? '' : wildcard ? `*.${host}` : host;
}

function withoutWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}

function bareHost(host: string): string {
  const bare = withoutWww(host);
  return clip(bare.includes('xn--') ? domainToUnicode(bare) || bare : bare);
}

function clip(s: string): string {
  return clipText(s, SOURCE_MAX_LENGTH);
}
