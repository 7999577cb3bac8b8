// Sites: create, list, read, change and delete, always scoped to the organisations the caller belongs to.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { EventStore } from '../stores/events/event-store.js';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { member, site } from '../stores/meta/schema.js';
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
  .transform((v) => v.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0]!.toLowerCase())
  .refine((v) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/.test(v), {
    message: 'domain must be a host name such as example.com',
  });

const timezoneSchema = z.string().trim().refine(isValidTimeZone, { message: 'timezone must be an IANA time zone such as Europe/Berlin' });

export const createSiteSchema = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(100),
    domain: domainSchema,
    timezone: timezoneSchema.default('UTC'),
    settings: siteSettingsSchema.partial().optional(),
  })
  .strict();

export const updateSiteSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    domain: domainSchema.optional(),
    timezone: timezoneSchema.optional(),
    settings: siteSettingsSchema.partial().optional(),
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

type SiteRow = typeof site.$inferSelect;

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

export class SiteAccessError extends Error {}

export class Sites {
  constructor(private readonly db: MetaDb, private readonly events: EventStore) {}

  private async orgIdsOf(userId: string): Promise<string[]> {
    const rows = await this.db.select({ id: member.organizationId }).from(member).where(eq(member.userId, userId)).orderBy(asc(member.createdAt));
    return rows.map((r) => r.id);
  }

  async create(userId: string, input: z.infer<typeof createSiteSchema>): Promise<SiteDto> {
    const orgId = (await this.orgIdsOf(userId))[0];
    if (!orgId) throw new SiteAccessError('your account belongs to no organisation');
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

  async list(userId: string): Promise<SiteDto[]> {
    const orgIds = await this.orgIdsOf(userId);
    if (orgIds.length === 0) return [];
    const rows = await this.db.select().from(site).where(inArray(site.organizationId, orgIds)).orderBy(asc(site.id));
    return rows.map(toSiteDto);
  }

  /** The site when the user may see it; undefined both when it does not exist and when it is someone else's. */
  async get(userId: string, siteId: number): Promise<SiteDto | undefined> {
    const rows = await this.db
      .select({ site })
      .from(site)
      .innerJoin(member, and(eq(member.organizationId, site.organizationId), eq(member.userId, userId)))
      .where(eq(site.id, siteId));
    return rows[0] ? toSiteDto(rows[0].site) : undefined;
  }

  async update(userId: string, siteId: number, patch: z.infer<typeof updateSiteSchema>): Promise<SiteDto | undefined> {
    const current = await this.get(userId, siteId);
    if (!current) return undefined;
    const settings = patch.settings ? siteSettingsSchema.parse({ ...current.settings, ...patch.settings }) : current.settings;
    const [row] = await this.db
      .update(site)
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.domain !== undefined && { domain: patch.domain }),
        ...(patch.timezone !== undefined && { timezone: patch.timezone }),
        settings,
        updatedAt: new Date(),
      })
      .where(eq(site.id, siteId))
      .returning();
    return row ? toSiteDto(row) : undefined;
  }

  /** Deletes the site and all of its events. */
  async delete(userId: string, siteId: number): Promise<boolean> {
    const current = await this.get(userId, siteId);
    if (!current) return false;
    await this.db.delete(site).where(eq(site.id, siteId));
    for (const table of ['events', 'bot_events']) {
      await this.events.command(`DELETE FROM ${table} WHERE site_id = {siteId:UInt32}`, { siteId });
    }
    return true;
  }

  /** Ingestion's view of a site: no access check (the tracker is anonymous). */
  async byIdForIngest(siteId: number): Promise<SiteRow | undefined> {
    const rows = await this.db.select().from(site).where(eq(site.id, siteId));
    return rows[0];
  }
}
