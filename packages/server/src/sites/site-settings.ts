// A site's ingestion rules, with their defaults; stored as JSON on the site row.
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/** Plain dotted-quad IPv4 or IPv6, optionally with a /prefix; odd legacy forms like 010.0.0.1 or 10.1 are refused. */
function isIpOrCidr(value: string): boolean {
  const [addr, bits, ...rest] = value.split('/');
  if (rest.length || !addr) return false;
  const v4 = ipaddr.IPv4.isValidFourPartDecimal(addr) && !/(^|\.)0\d/.test(addr);
  const v6 = addr.includes(':') && ipaddr.IPv6.isValid(addr);
  if (!v4 && !v6) return false;
  if (bits === undefined) return true;
  const max = v4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

const hostPattern = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(\*\.)?[a-z0-9.-]+(:\d+)?$/, 'must be a host name such as example.com or *.example.com');

export const siteSettingsSchema = z.object({
  /** Hosts besides the site's domain whose pageviews count (wildcards "*.example.com" allowed). Empty = any host. */
  allowedHostnames: z.array(hostPattern).max(100).default([]),
  /** IPs or CIDRs whose traffic is dropped. */
  excludedIps: z
    .array(z.string().trim().max(64).refine(isIpOrCidr, { message: 'must be an IP address or CIDR such as 203.0.113.7 or 10.0.0.0/8' }))
    .max(500)
    .default([]),
  /** Path globs (* within a segment, ** across segments) whose pageviews are dropped. */
  excludedPaths: z.array(z.string().trim().min(1).max(256)).max(200).default([]),
  /** ISO country codes whose traffic is dropped. */
  excludedCountries: z.array(z.string().trim().toUpperCase().length(2)).max(250).default([]),
  trailingSlashMerge: z.boolean().default(true),
  hashRouting: z.boolean().default(false),
  excludedQueryParams: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
  sessionTimeoutMinutes: z.number().int().min(1).max(240).default(30),
  botFiltering: z.boolean().default(true),
  /** Days of events kept; older ones are deleted (jobs/retention.ts). null keeps everything. */
  retentionDays: z.number().int().min(1).max(36_500).nullable().default(null),
  /** Anyone with the address /public/<site id> may view the dashboard read-only. */
  publicDashboard: z.boolean().default(false),
});

export type SiteSettings = z.infer<typeof siteSettingsSchema>;

export const DEFAULT_SITE_SETTINGS: SiteSettings = siteSettingsSchema.parse({});

/** Reads stored settings, filling defaults; a row written by an older version never breaks ingestion. */
export function readSiteSettings(stored: unknown): SiteSettings {
  const parsed = siteSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_SITE_SETTINGS;
}
