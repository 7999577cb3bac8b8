// Compiles a site's settings into fast predicates for ingestion: allowed hosts, excluded IPs, paths and countries.
import { globToRegExp } from '@eesee/js/glob';
import ipaddr from 'ipaddr.js';
import type { SiteSettings } from './site-settings.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type IpMatcher = (addr: ipaddr.IPv4 | ipaddr.IPv6) => boolean;

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is plain IPv4 for matching, on both sides. */
function unmapped(addr: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
}

function ipMatcher(spec: string): IpMatcher | undefined {
  try {
    if (spec.includes('/')) {
      let [net, bits] = ipaddr.parseCIDR(spec);
      if (net.kind() === 'ipv6' && (net as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) [net, bits] = [unmapped(net), bits - 96];
      return (a) => a.kind() === net.kind() && a.match(net, bits);
    }
    const one = unmapped(ipaddr.parse(spec));
    return (a) => a.kind() === one.kind() && a.toNormalizedString() === one.toNormalizedString();
  } catch {
    return undefined; // an invalid entry was refused when saved; never let it break ingestion
  }
}

export interface SiteRules {
  hostAllowed(hostname: string): boolean;
  ipExcluded(ip: string): boolean;
  pathExcluded(pathname: string): boolean;
  countryExcluded(country: string): boolean;
}

export function compileSiteRules(domain: string, settings: SiteSettings): SiteRules {
  // "*.example.com" allows example.com itself and every subdomain of it.
  const noPort = (h: string) => h.replace(/:\d+$/, '');
  const hostPatterns = settings.allowedHostnames.map(noPort).map((h) =>
    h.startsWith('*.') ? `^(?:[^/]+\\.)?${escapeRegExp(h.slice(2))}$` : `^${escapeRegExp(h)}$`,
  );
  const hostRe = hostPatterns.length ? new RegExp([`^${escapeRegExp(noPort(domain))}$`, ...hostPatterns].join('|')) : undefined;
  const ipMatchers = settings.excludedIps.map(ipMatcher).filter((m): m is IpMatcher => m !== undefined);
  const pathRes = settings.excludedPaths.map(globToRegExp);
  const countries = new Set(settings.excludedCountries);
  return {
    hostAllowed: (hostname) => !hostRe || hostRe.test(hostname),
    ipExcluded: (ip) => {
      if (ipMatchers.length === 0) return false;
      try {
        const addr = unmapped(ipaddr.parse(ip));
        return ipMatchers.some((m) => m(addr));
      } catch {
        return false;
      }
    },
    pathExcluded: (pathname) => pathRes.some((r) => r.test(pathname)),
    countryExcluded: (country) => countries.has(country),
  };
}
