// API keys: created with a secret shown once, kept as a SHA-256 hash, listed without it, revoked, verified per request.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { OncePer } from './once-per.js';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { apiKey, site } from '../stores/meta/schema.js';
import { SCOPES, type Scope } from './roles.js';

/** Keys look like `eesee_` + 32 URL-safe characters (192 random bits), so secret scanners can recognise them. */
export const KEY_PREFIX = 'eesee_';
const KEY_PATTERN = /^eesee_[A-Za-z0-9_-]{32}$/;

export const createKeySchema = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(100),
    scopes: z.array(z.enum(SCOPES)).min(1, 'scopes: give at least one of stats:read, ingest, admin').max(3),
    site_ids: z.array(z.number().int().positive()).min(1).max(1000).nullable().optional(),
    expires_at: z.iso
      .datetime({ offset: true, message: 'expires_at must be an ISO date-time such as 2027-01-31T00:00:00Z' })
      .refine((v) => Date.parse(v) > Date.now(), 'expires_at must be in the future')
      .nullable()
      .optional(),
  })
  .strict();

export interface ApiKeyDto {
  id: string;
  organization_id: string;
  name: string;
  /** The first characters, to tell keys apart; never the secret. */
  start: string;
  scopes: Scope[];
  site_ids: number[] | null;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** What a verified key lets the request do. */
export interface VerifiedKey {
  id: string;
  organizationId: string;
  scopes: Scope[];
  siteIds: number[] | null;
}

type Row = typeof apiKey.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toDto(row: Row): ApiKeyDto {
  return {
    id: row.id,
    organization_id: row.organizationId,
    name: row.name,
    start: row.start,
    scopes: row.scopes as Scope[],
    site_ids: row.siteIds ?? null,
    expires_at: iso(row.expiresAt),
    last_used_at: iso(row.lastUsedAt),
    created_at: row.createdAt.toISOString(),
    revoked_at: iso(row.revokedAt),
  };
}

export const hashKey = (secret: string) => createHash('sha256').update(secret).digest('hex');

export class ApiKeyError extends Error {}

export class ApiKeys {
  /** last_used_at is written at most once a minute per key. */
  private readonly touch = new OncePer(60_000);

  constructor(private readonly db: MetaDb) {}

  async create(orgId: string, createdBy: string | null, input: z.infer<typeof createKeySchema>): Promise<{ key: string; apiKey: ApiKeyDto }> {
    const siteIds = input.site_ids ? [...new Set(input.site_ids)].sort((a, b) => a - b) : null;
    if (siteIds) {
      const found = await this.db
        .select({ id: site.id })
        .from(site)
        .where(and(eq(site.organizationId, orgId), inArray(site.id, siteIds)));
      const missing = siteIds.filter((id) => !found.some((f) => f.id === id));
      if (missing.length) throw new ApiKeyError(`site_ids: no site ${missing.join(', ')} in this organisation`);
    }
    const secret = KEY_PREFIX + randomBytes(24).toString('base64url');
    const [row] = await this.db
      .insert(apiKey)
      .values({
        id: randomUUID(),
        organizationId: orgId,
        name: input.name,
        start: secret.slice(0, KEY_PREFIX.length + 4),
        keyHash: hashKey(secret),
        scopes: [...new Set(input.scopes)],
        siteIds,
        expiresAt: input.expires_at ? new Date(input.expires_at) : null,
        createdBy,
      })
      .returning();
    return { key: secret, apiKey: toDto(row!) };
  }

  async list(orgId: string): Promise<ApiKeyDto[]> {
    const rows = await this.db.select().from(apiKey).where(eq(apiKey.organizationId, orgId)).orderBy(desc(apiKey.createdAt));
    return rows.map(toDto);
  }

  /** Revokes a key of this organisation; false when there is none with that id (or it is another's). */
  async revoke(orgId: string, id: string): Promise<ApiKeyDto | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const [row] = await this.db
      .update(apiKey)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKey.id, id), eq(apiKey.organizationId, orgId)))
      .returning();
    return row ? toDto(row) : undefined;
  }

  /** The key behind a secret when it is valid now: not revoked, not expired. */
  async verify(secret: string, now = Date.now()): Promise<VerifiedKey | undefined> {
    if (!KEY_PATTERN.test(secret)) return undefined;
    const [row] = await this.db.select().from(apiKey).where(eq(apiKey.keyHash, hashKey(secret)));
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) return undefined;
    if (this.touch.due(row.id, now)) {
      await this.db.update(apiKey).set({ lastUsedAt: new Date(now) }).where(eq(apiKey.id, row.id));
    }
    return { id: row.id, organizationId: row.organizationId, scopes: row.scopes as Scope[], siteIds: row.siteIds ?? null };
  }
}
