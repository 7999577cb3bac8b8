// Sites: create, change and delete (with their events); DTOs for the API. Access is checked in auth/access.ts.
import { domainToASCII } from 'node:url';
import { and, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { applySiteRetention } from '../jobs/retention.js';
import type { VisitIndexLock } from '../jobs/visit-index-lock.js';
import { deleteRows } from '../stores/events/delete-rows.js';
import type { EventStore } from '../stores/events/event-store.js';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { site, sitePurge } from '../stores/meta/schema.js';
import { readSiteSettings, siteSettingsSchema, type SiteSettings } from './site-settings.js';

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Accepts "example.com", "https://Example.com/blog" or "www.example.com:8080" and keeps the host. */
const domainSchema = z
  .string()
  .trim()
  .min(1, 'domain is required')
  .max(253)
  .transform((v) => {
    const host = v.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0]!.toLowerCase();
    // International names (bücher.example) are kept in their ASCII form (xn--bcher-kva.example), as browsers send them.
    const [name, port] = host.split(/:(?=\d+$)/);
    const ascii = domainToASCII(name!);
    return ascii ? (port ? `${ascii}:${port}` : ascii) : host;
  })
  .refine((v) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/.test(v), {
    message: 'domain must be a host name such as example.com',
  });

const timezoneSchema = z.string().trim().refine(isValidTimeZone, { message: 'timezone must be an IANA time zone such as Europe/Berlin' });

export const createSiteSchema = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(100),
    domain: domainSchema,
    timezone: timezoneSchema.default('UTC'),
    settings: siteSettingsSchema.partial().strict().optional(),
  })
  .strict();

export const updateSiteSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    domain: domainSchema.optional(),
    timezone: timezoneSchema.optional(),
    settings: siteSettingsSchema.partial().strict().optional(),
  })
  .strict();

export interface SiteDto {
  id: number;
  organization_id: string;
  name: string;
  domain: string;
  timezone: string;
  settings: SiteSettings;
  created_at: string;
  updated_at: string;
}

export type SiteRow = typeof site.$inferSelect;

/** What a shared or public view may know of its site: never its settings (excluded IPs, hidden paths…) or organisation. */
export interface SharedSiteDto {
  id: number;
  name: string;
  domain: string;
  timezone: string;
}

export const toSharedSiteDto = (row: SiteRow): SharedSiteDto => ({ id: row.id, name: row.name, domain: row.domain, timezone: row.timezone });

export function toSiteDto(row: SiteRow): SiteDto {
  return {
    id: row.id,
    organization_id: row.organizationId,
    name: row.name,
    domain: row.domain,
    timezone: row.timezone,
    settings: readSiteSettings(row.settings),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** How long a deleted site's purge stays recorded: its last accepted events are written within seconds. */
export const PURGE_GRACE_MS = 10 * 60_000;

/** Sites of an organisation; who may touch which site is decided by auth/access.ts before these are called. */
export class Sites {
  constructor(
    private readonly db: MetaDb,
    private readonly events: EventStore,
    /** The visit index's writer lock: deleting a site's visits must not cross an index run on them. */
    private readonly visitIndexLock: VisitIndexLock,
  ) {}

  async create(orgId: string, input: z.infer<typeof createSiteSchema>): Promise<SiteDto> {
    const [row] = await this.db
      .insert(site)
      .values({
        organizationId: orgId,
        name: input.name,
        domain: input.domain,
        timezone: input.timezone,
        settings: siteSettingsSchema.parse(input.settings ?? {}),
      })
      .returning();
    return toSiteDto(row!);
  }

  async update(current: SiteRow, patch: z.infer<typeof updateSiteSchema>): Promise<SiteDto | undefined> {
    const settings = patch.settings ? siteSettingsSchema.parse({ ...readSiteSettings(current.settings), ...patch.settings }) : readSiteSettings(current.settings);
    const [row] = await this.db
      .update(site)
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.domain !== undefined && { domain: patch.domain }),
        ...(patch.timezone !== undefined && { timezone: patch.timezone }),
        settings,
        updatedAt: new Date(),
      })
      .where(eq(site.id, current.id))
      .returning();
    return row ? toSiteDto(row) : undefined;
  }

  /**
   * Deletes the site and records that its data is to be purged from the events store: the caller stops ingestion for
   * it (SiteRegistry.invalidate), then purges (purgeEvents).
   */
  async delete(siteId: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(sitePurge).values({ siteId }).onConflictDoNothing();
      await tx.delete(site).where(eq(site.id, siteId));
    });
  }

  /**
   * Removes deleted sites' data from the events store (events, bot events, visit index). Called right after a site or
   * its organisation is deleted, which recorded the purge (site_purge) in the same transaction; the record stays for
   * PURGE_GRACE_MS, so that the hourly job (purgePending) also sweeps events that were accepted just before the
   * deletion and written just after the purge, and it stays until a purge succeeds.
   */
  async purgeEvents(siteIds: number[], now = Date.now()): Promise<void> {
    await this.visitIndexLock.run(async () => {
      for (const siteId of siteIds) {
        for (const table of ['events', 'bot_events', 'visits']) {
          await deleteRows(this.events, table, 'site_id = {siteId:UInt32}', { siteId });
        }
        await this.db.delete(sitePurge).where(and(eq(sitePurge.siteId, siteId), lt(sitePurge.requestedAt, new Date(now - PURGE_GRACE_MS))));
      }
    });
  }

  /** Purges again the deleted sites still recorded (recently deleted, or a purge failed); returns their ids. */
  async purgePending(now = Date.now()): Promise<number[]> {
    const ids = (await this.db.select({ id: sitePurge.siteId }).from(sitePurge)).map((r) => r.id);
    if (ids.length > 0) await this.purgeEvents(ids, now);
    return ids;
  }

  /** Applies a site's retention now (see jobs/retention.ts), rather than at the next hourly run. */
  async applyRetention(siteId: number, days: number): Promise<void> {
    await applySiteRetention(this.events, this.visitIndexLock, siteId, days);
  }

  /** Ingestion's view of a site: no access check (the tracker is anonymous). */
  async byIdForIngest(siteId: number): Promise<SiteRow | undefined> {
    const rows = await this.db.select().from(site).where(eq(site.id, siteId));
    return rows[0];
  }
}
