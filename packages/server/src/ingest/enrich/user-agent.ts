// User agent -> browser, OS and their major versions with friendly names, cached for the hot path.
import { UAParser } from 'ua-parser-js';
import { LruCache } from './lru.js';
import { BROWSER_NAMES, OS_NAMES, OS_VERSION_STYLE } from './ua-names.js';

export interface UserAgentInfo {
  /** Friendly name ("Chrome", "Safari", "Samsung Internet"), "Unknown" when not recognised. */
  browser: string;
  /** Major version ("120"), "" when unknown. */
  browserVersion: string;
  /** Friendly name ("Windows", "macOS", "iOS", "Android", "Linux", "Chrome OS"), "Unknown" when not recognised. */
  os: string;
  /** Major version ("14"; "10.15" for macOS 10.x; Windows as named: "10", "8.1", "XP"), "" when unknown. */
  osVersion: string;
  /** ua-parser-js device type ("mobile", "tablet", "console", "smarttv", "wearable", "embedded"), "" when not stated. */
  deviceType: string;
}

export const UNKNOWN = 'Unknown';
/** ua-parser-js 1.x reads at most this many characters, so longer strings share a cache entry. */
const UA_MAX_LENGTH = 500;
const NAME_MAX_LENGTH = 64;
const VERSION_MAX_LENGTH = 16;
const CACHE_SIZE = 5_000;

const parser = new UAParser();
const cache = new LruCache<string, Readonly<UserAgentInfo>>(CACHE_SIZE);

export function parseUserAgent(ua: string): Readonly<UserAgentInfo> {
  const key = typeof ua === 'string' ? ua.trim().slice(0, UA_MAX_LENGTH) : '';
  const cached = cache.get(key);
  if (cached) return cached;
  const info = Object.freeze(parseUncached(key));
  cache.set(key, info);
  return info;
}

/** For tests and memory pressure. */
export function clearUserAgentCache(): void {
  cache.clear();
}

function parseUncached(ua: string): UserAgentInfo {
  if (ua === '') return { browser: UNKNOWN, browserVersion: '', os: UNKNOWN, osVersion: '', deviceType: '' };
  const result = parser.setUA(ua).getResult();
  const browser = friendly(result.browser.name, BROWSER_NAMES);
  const os = friendly(result.os.name, OS_NAMES);
  return {
    browser,
    browserVersion: browser === UNKNOWN ? '' : leadingNumber(result.browser.version),
    os,
    osVersion: os === UNKNOWN ? '' : osVersionOf(os, result.os.version),
    deviceType: clip(result.device.type ?? '', NAME_MAX_LENGTH),
  };
}

function friendly(name: string | undefined, names: Readonly<Record<string, string>>): string {
  const raw = clip((name ?? '').trim(), NAME_MAX_LENGTH);
  if (raw === '') return UNKNOWN;
  return Object.hasOwn(names, raw) ? (names[raw] as string) : raw;
}

function osVersionOf(os: string, version: string | undefined): string {
  const v = (version ?? '').trim();
  const style = Object.hasOwn(OS_VERSION_STYLE, os) ? OS_VERSION_STYLE[os] : undefined;
  if (style === 'none') return '';
  if (style === 'keep') return clip(v, VERSION_MAX_LENGTH);
  if (style === 'majorMinor10') {
    const m = /^10[._](\d+)/.exec(v);
    if (m) return `10.${m[1]}`;
  }
  return leadingNumber(v);
}

function leadingNumber(version: string | undefined): string {
  const m = /^\d{1,8}/.exec((version ?? '').trim());
  return m ? m[0] : '';
}

function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}
