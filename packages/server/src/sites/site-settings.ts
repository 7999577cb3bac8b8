// A site's ingestion rules, with their defaults; stored as JSON on the site row.
import { z } from 'zod';

const hostPattern = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(\*\.)?[a-z0-9.-]+(:\d+)?$/, 'must be a host name such as example.com or *.example.com');

export const siteSettingsSchema = z.object({
  /** Hosts besides the site's domain whose pageviews count (wildcards "*.example.com" allowed). Empty = any host. */
  allowedHostnames: z.array(hostPattern).max(100).default([]),
  /** IPs or CIDRs whose traffic is dropped. */
  excludedIps: z.array(z.string().trim().max(64)).max(500).default([]),
  /** Path globs (* within a segment, ** across segments) whose pageviews are dropped. */
  excludedPaths: z.array(z.string().trim().min(1).max(256)).max(200).default([]),
  /** ISO country codes whose traffic is dropped. */
  excludedCountries: z.array(z.string().trim().toUpperCase().length(2)).max(250).default([]),
  trailingSlashMerge: z.boolean().default(true),
  hashRouting: z.boolean().default(false),
  excludedQueryParams: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
  sessionTimeoutMinutes: z.number().int().min(1).max(240).default(30),
  botFiltering: z.boolean().default(true),
});

export type SiteSettings = z.infer<typeof siteSettingsSchema>;

export const DEFAULT_SITE_SETTINGS: SiteSettings = siteSettingsSchema.parse({});

/** Reads stored settings, filling defaults; a row written by an older version never breaks ingestion. */
export function readSiteSettings(stored: unknown): SiteSettings {
  const parsed = siteSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_SITE_SETTINGS;
}
