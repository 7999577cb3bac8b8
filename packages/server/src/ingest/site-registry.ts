// Ingestion's cached view of sites (settings compiled to rules); entries live a few seconds so changes apply quickly.
import type { Sites } from '../sites/sites.js';
import { readSiteSettings, type SiteSettings } from '../sites/site-settings.js';
import { compileSiteRules, type SiteRules } from '../sites/site-rules.js';

export interface IngestSite {
  id: number;
  organizationId: string;
  domain: string;
  timezone: string;
  settings: SiteSettings;
  rules: SiteRules;
}

interface Entry {
  site: IngestSite | undefined;
  loadedAt: number;
  pending?: Promise<IngestSite | undefined>;
}

export class SiteRegistry {
  private readonly cache = new Map<number, Entry>();

  constructor(private readonly sites: Sites, private readonly ttlMs = 5000, private readonly maxEntries = 50_000) {}

  /** The site, or undefined when no site has this id (remembered too, so unknown ids cost no query each). */
  async get(siteId: number, now = Date.now()): Promise<IngestSite | undefined> {
    const hit = this.cache.get(siteId);
    if (hit && now - hit.loadedAt < this.ttlMs) return hit.site;
    if (hit?.pending) return hit.pending;
    const pending = this.load(siteId);
    this.cache.set(siteId, { site: hit?.site, loadedAt: hit?.loadedAt ?? 0, pending });
    try {
      const site = await pending;
      if (this.cache.size >= this.maxEntries) this.cache.clear();
      this.cache.set(siteId, { site, loadedAt: Date.now() });
      return site;
    } catch (err) {
      this.cache.delete(siteId);
      throw err;
    }
  }

  /** Forget a site now (after a change made through this process). */
  invalidate(siteId: number): void {
    this.cache.delete(siteId);
  }

  private async load(siteId: number): Promise<IngestSite | undefined> {
    const row = await this.sites.byIdForIngest(siteId);
    if (!row) return undefined;
    const settings = readSiteSettings(row.settings);
    return {
      id: row.id,
      organizationId: row.organizationId,
      domain: row.domain,
      timezone: row.timezone,
      settings,
      rules: compileSiteRules(row.domain, settings),
    };
  }
}
