// Compiles a site's settings into fast predicates for ingestion: allowed hosts, excluded IPs, paths and countries.
import ipaddr from 'ipaddr.js';
import type { SiteSettings } from './site-settings.js';

/** "*" matches within one path segment, "**" across segments; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type IpMatcher = (addr: ipaddr.IPv4 | ipaddr.IPv6) => boolean;

function ipMatcher(spec: string): IpMatcher | undefined {
  try {
    if (spec.includes('/')) {
      const [net, bits] = ipaddr.parseCIDR(spec);
      return (a) => a.kind() === net.kind() && a.match(net, bits);
    }
    const one = ipaddr.parse(spec);
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
        let addr = ipaddr.parse(ip);
        if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
        return ipMatchers.some((m) => m(addr));
      } catch {
        return false;
      }
    },
    pathExcluded: (pathname) => pathRes.some((r) => r.test(pathname)),
    countryExcluded: (country) => countries.has(country),
  };
}
