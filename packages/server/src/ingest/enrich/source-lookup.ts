// Finds a known source by referrer host, Android app id, utm/ref spelling or stored name, via indexes built once.
import { SOURCE_ALIASES, type SourceAlias, type SourceCategory } from './source-aliases.js';

/** What may follow "google." in a "google.*" entry: a TLD, optionally after a second-level label like "co." or "com.". */
const WILDCARD_TLD = /^(?:(?:com?|org|net|gov|edu|ac|or|ne|go|gob|nic)\.)?[a-z]{2,3}$/;
const HOST_MAX_LENGTH = 253;

const exactHosts = new Map<string, SourceAlias>();
const wildcardHosts = new Map<string, SourceAlias>();
const appIds = new Map<string, SourceAlias>();
const spellings = new Map<string, SourceAlias>();
const canonicalNames = new Map<string, SourceAlias>();
const patterned = SOURCE_ALIASES.filter((alias) => alias.hostPatterns && alias.hostPatterns.length > 0);

for (const alias of SOURCE_ALIASES) {
  for (const host of alias.hosts) {
    if (host.endsWith('.*')) wildcardHosts.set(host.slice(0, -2), alias);
    else exactHosts.set(host, alias);
  }
  for (const app of alias.apps ?? []) appIds.set(app.toLowerCase(), alias);
  canonicalNames.set(alias.name.toLowerCase(), alias);
  for (const spelling of [alias.name, ...(alias.aliases ?? [])]) spellings.set(compactName(spelling), alias);
}

/** "Hacker News", "hacker-news", "HackerNews" -> "hackernews": the key for utm/ref spellings. */
export function compactName(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Longest match first, so mail.google.com (Gmail) beats google.* (Google). Subdomains of an entry match unless
 * it says `subdomains: false`. A leading "www." is ignored.
 */
export function aliasOfHost(rawHost: string): SourceAlias | undefined {
  let host = rawHost.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('www.')) host = host.slice(4);
  if (host === '' || host.length > HOST_MAX_LENGTH) return undefined;
  const labels = host.split('.');
  for (let i = 0; i < labels.length; i++) {
    const ownHost = i === 0;
    const exact = exactHosts.get(labels.slice(i).join('.'));
    if (exact && (ownHost || exact.subdomains !== false)) return exact;
    for (const tldLabels of [2, 1]) {
      if (labels.length - i <= tldLabels) continue;
      if (!WILDCARD_TLD.test(labels.slice(labels.length - tldLabels).join('.'))) continue;
      const wildcard = wildcardHosts.get(labels.slice(i, labels.length - tldLabels).join('.'));
      if (wildcard && (ownHost || wildcard.subdomains !== false)) return wildcard;
    }
  }
  return patterned.find((alias) => alias.hostPatterns?.some((pattern) => pattern.test(host)));
}

export function aliasOfApp(appId: string): SourceAlias | undefined {
  return appIds.get(appId.toLowerCase());
}

/** By canonical name or any listed spelling, compared without case, spaces or punctuation. */
export function aliasOfSpelling(spelling: string): SourceAlias | undefined {
  const key = compactName(spelling);
  return key === '' ? undefined : spellings.get(key);
}

/** Category of a stored source name; only canonical names count, so an unknown host never borrows one. */
export function categoryOfSource(source: string | null | undefined): SourceCategory | '' {
  return (source && canonicalNames.get(source.toLowerCase())?.category) || '';
}
