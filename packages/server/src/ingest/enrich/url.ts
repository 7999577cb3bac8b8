// Page URL -> stored hostname, decoded path, cleaned query, UTM tags, click id and ref tag, by the site's URL rules.
import { CLICK_IDS, REF_PARAMS, TRACKING_PARAMS } from './click-ids.js';
import { clipText, isControl, safeDecode } from './percent-decode.js';

export interface UrlRules {
  /** "/a/" and "/a" are one page ("/" stays "/"). Default true. */
  trailingSlashMerge?: boolean;
  /** "#/a" is the route: "/#/a" -> "/a", "/app/#/a" -> "/app/a". Default false: fragments are dropped. */
  hashRouting?: boolean;
  /** Query parameters removed before storing, case-insensitive; "name*" removes every parameter starting with "name". */
  excludedQueryParams?: readonly string[];
}

export interface Utm {
  source: string;
  medium: string;
  campaign: string;
  term: string;
  content: string;
}

export interface PageUrl {
  /** Lower-case, IDN in punycode (as browsers report location.hostname), no port, no trailing dot. */
  hostname: string;
  /** UTF-8 decoded; "%2F", "%3F", "%23" and control characters stay encoded; invalid escapes kept as written. */
  pathname: string;
  /** The remaining query, as sent (percent-encoded), original order, without "?"; "" when nothing remains. */
  query: string;
  /** Decoded and trimmed, case kept; "" when absent. */
  utm: Utm;
  /** The first click id present, in CLICK_IDS order. */
  clickId: { name: string; value: string } | null;
  /** The `?ref=` tag, decoded and trimmed; "" when absent. */
  refParam: string;
}

export const PATH_MAX_LENGTH = 2048;
export const QUERY_MAX_LENGTH = 2048;
export const TAG_MAX_LENGTH = 256;

const UTM_FIELDS: Readonly<Record<string, keyof Utm>> = {
  utm_source: 'source',
  utm_medium: 'medium',
  utm_campaign: 'campaign',
  utm_term: 'term',
  utm_content: 'content',
};
const CLICK_ID_PARAMS = new Set(CLICK_IDS.map((rule) => rule.param));
const TRACKING = new Set(TRACKING_PARAMS);
const REF_NAMES = new Set(REF_PARAMS);
/** Decoding these inside a path would change its meaning or let it carry invisible characters. */
const keepEncodedInPath = (cp: number): boolean => cp === 0x2f || cp === 0x3f || cp === 0x23 || isControl(cp);

export function parsePageUrl(rawUrl: string, rules: UrlRules = {}): PageUrl | null {
  if (typeof rawUrl !== 'string') return null;
  let url: URL;
  try {
    url = new URL(rawUrl.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  if (hostname === '') return null;

  let rawPath = url.pathname;
  let rawQuery = url.search.slice(1);
  if (rules.hashRouting) {
    const route = /^#!?(\/[^?]*)(?:\?(.*))?$/s.exec(url.hash);
    if (route) {
      rawPath = (rawPath === '/' ? '' : rawPath.replace(/\/+$/, '')) + route[1];
      if (route[2]) rawQuery = rawQuery ? `${rawQuery}&${route[2]}` : route[2];
    }
  }

  let pathname = safeDecode(rawPath, keepEncodedInPath);
  if (rules.trailingSlashMerge ?? true) pathname = pathname.replace(/\/+$/, '') || '/';
  const { query, utm, clickId, refParam } = splitQuery(rawQuery, excludedMatcher(rules.excludedQueryParams ?? []));
  return { hostname, pathname: clipText(pathname, PATH_MAX_LENGTH), query, utm, clickId, refParam };
}

function splitQuery(rawQuery: string, isExcluded: (key: string) => boolean): Omit<PageUrl, 'hostname' | 'pathname'> {
  const utm: Utm = { source: '', medium: '', campaign: '', term: '', content: '' };
  const clickIds = new Map<string, string>();
  const refs = new Map<string, string>();
  const kept: string[] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeQueryComponent(eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = () => cleanTag(decodeQueryComponent(eq === -1 ? '' : part.slice(eq + 1)));
    const utmField = Object.hasOwn(UTM_FIELDS, key) ? UTM_FIELDS[key] : undefined;
    if (utmField) {
      if (utm[utmField] === '') utm[utmField] = value();
    } else if (CLICK_ID_PARAMS.has(key)) {
      if (!clickIds.has(key)) clickIds.set(key, value());
    } else if (!key.startsWith('utm_') && !TRACKING.has(key) && !isExcluded(key)) {
      if (REF_NAMES.has(key) && !refs.has(key)) refs.set(key, value());
      kept.push(part);
    }
  }
  const clickRule = CLICK_IDS.find((rule) => clickIds.has(rule.param));
  return {
    query: clipQuery(kept),
    utm,
    clickId: clickRule ? { name: clickRule.param, value: clickIds.get(clickRule.param) as string } : null,
    refParam: REF_PARAMS.map((name) => refs.get(name) ?? '').find((v) => v !== '') ?? '',
  };
}

/** Drops whole parameters from the end rather than cutting one in half. */
function clipQuery(parts: string[]): string {
  let query = parts.join('&');
  while (query.length > QUERY_MAX_LENGTH && parts.length > 1) query = (parts = parts.slice(0, -1)).join('&');
  return query.length > QUERY_MAX_LENGTH ? '' : query;
}

function excludedMatcher(excluded: readonly string[]): (key: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const raw of excluded) {
    const name = raw.trim().toLowerCase();
    if (name.endsWith('*')) {
      if (name.length > 1) prefixes.push(name.slice(0, -1));
    } else if (name !== '') exact.add(name);
  }
  return (key) => exact.has(key) || prefixes.some((prefix) => key.startsWith(prefix));
}

function decodeQueryComponent(s: string): string {
  return safeDecode(s.replace(/\+/g, ' '));
}

/** One line, trimmed, other control characters removed, clipped: a tag is a label, never markup or a line break. */
export function cleanTag(s: string): string {
  let out = '';
  for (const ch of s.replace(/[\t\n\v\f\r]/g, ' ')) if (!isControl(ch.codePointAt(0) as number)) out += ch;
  return clipText(out.replace(/\s+/g, ' ').trim(), TAG_MAX_LENGTH);
}

/**
 * The referrer's host, lower-case, no port or trailing dot; the package name for android-app:// referrers;
 * "" for empty, unparsable or non-web referrers (about:, file:, chrome-extension:).
 * A scheme-less "news.example.com/x" is read as https.
 */
export function referrerHostOf(referrer: string | null | undefined): string {
  if (typeof referrer !== 'string') return '';
  const s = referrer.trim();
  if (s === '') return '';
  const app = /^android-app:\/\/([a-z0-9_.]+)/i.exec(s);
  if (app) return (app[1] as string).toLowerCase().replace(/\.$/, '');
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[^:/]+:\d/.test(s);
  let url: URL;
  try {
    url = new URL(hasScheme ? s : `https://${s}`);
  } catch {
    return '';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '';
  return url.hostname.toLowerCase().replace(/\.$/, '');
}
