// Share links of a site: a secret URL to a read-only dashboard, optionally behind a password; created (shown once),
// listed without the secret, revoked. A correct password earns a signed grant that later requests carry.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { OncePer } from '../auth/once-per.js';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { shareLink, site } from '../stores/meta/schema.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { readSiteSettings } from '../sites/site-settings.js';

/** Grants from a password last a day; then the password is asked again. */
const GRANT_TTL_MS = 24 * 3600_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export const createShareSchema = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(100),
    password: z.string().min(8, 'password: at least 8 characters').max(256).nullable().optional(),
    show_replays: z.boolean().default(false),
    show_user_ids: z.boolean().default(false),
    show_errors: z.boolean().default(false),
  })
  .strict();

export interface ShareDto {
  id: string;
  site_id: number;
  name: string;
  has_password: boolean;
  show_replays: boolean;
  show_user_ids: boolean;
  show_errors: boolean;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** What a shared view may see; the access module turns it into permissions. */
export interface ShareView {
  shareId: string | null;
  siteId: number;
  showReplays: boolean;
  showUserIds: boolean;
  showErrors: boolean;
}

export type ShareResolution = { view: ShareView } | { passwordRequired: true; siteId: number } | undefined;

type Row = typeof shareLink.$inferSelect;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toDto(row: Row): ShareDto {
  return {
    id: row.id,
    site_id: row.siteId,
    name: row.name,
    has_password: row.passwordHash !== null,
    show_replays: row.showReplays,
    show_user_ids: row.showUserIds,
    show_errors: row.showErrors,
    created_at: row.createdAt.toISOString(),
    last_used_at: iso(row.lastUsedAt),
    revoked_at: iso(row.revokedAt),
  };
}

export class ShareLinks {
  /** last_used_at is written at most once a minute per link. */
  private readonly touch = new OncePer(60_000);

  constructor(
    private readonly db: MetaDb,
    private readonly secret: string,
  ) {}

  async create(siteId: number, createdBy: string | null, input: z.infer<typeof createShareSchema>): Promise<{ token: string; share: ShareDto }> {
    const token = randomBytes(24).toString('base64url');
    const [row] = await this.db
      .insert(shareLink)
      .values({
        id: randomUUID(),
        siteId,
        name: input.name,
        tokenHash: hashToken(token),
        passwordHash: input.password ? await hashPassword(input.password) : null,
        showReplays: input.show_replays,
        showUserIds: input.show_user_ids,
        showErrors: input.show_errors,
        createdBy,
      })
      .returning();
    return { token, share: toDto(row!) };
  }

  async list(siteId: number): Promise<ShareDto[]> {
    const rows = await this.db.select().from(shareLink).where(eq(shareLink.siteId, siteId)).orderBy(desc(shareLink.createdAt));
    return rows.map(toDto);
  }

  async revoke(siteId: number, id: string): Promise<ShareDto | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const [row] = await this.db
      .update(shareLink)
      .set({ revokedAt: new Date() })
      .where(and(eq(shareLink.id, id), eq(shareLink.siteId, siteId), isNull(shareLink.revokedAt)))
      .returning();
    return row ? toDto(row) : undefined;
  }

  private async activeRow(token: string): Promise<Row | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const [row] = await this.db.select().from(shareLink).where(eq(shareLink.tokenHash, hashToken(token)));
    return row && !row.revokedAt ? row : undefined;
  }

  private grantFor(row: Row, exp: number): string {
    const mac = createHmac('sha256', this.secret).update(`share-grant:${row.id}:${row.passwordHash}:${exp}`).digest('base64url');
    return `${exp}.${mac}`;
  }

  private grantValid(row: Row, grant: string | undefined, now: number): boolean {
    if (!grant) return false;
    const [expText, mac] = grant.split('.');
    const exp = Number(expText);
    if (!mac || !Number.isSafeInteger(exp) || exp <= now) return false;
    const expected = Buffer.from(this.grantFor(row, exp));
    const actual = Buffer.from(grant);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** Checks the password of a link; a grant (valid for a day, void once the password changes) when it matches. */
  async unlock(token: string, password: string, now = Date.now()): Promise<{ grant: string; expires_at: string } | 'wrong-password' | undefined> {
    const row = await this.activeRow(token);
    if (!row) return undefined;
    if (!row.passwordHash) return { grant: '', expires_at: new Date(now + GRANT_TTL_MS).toISOString() };
    if (!(await verifyPassword(password, row.passwordHash))) return 'wrong-password';
    const exp = now + GRANT_TTL_MS;
    return { grant: this.grantFor(row, exp), expires_at: new Date(exp).toISOString() };
  }

  /** What a request carrying this share token (and grant) may see. */
  async resolve(token: string, grant: string | undefined, now = Date.now()): Promise<ShareResolution> {
    const row = await this.activeRow(token);
    if (!row) return undefined;
    if (row.passwordHash && !this.grantValid(row, grant, now)) return { passwordRequired: true, siteId: row.siteId };
    if (this.touch.due(row.id, now)) {
      await this.db.update(shareLink).set({ lastUsedAt: new Date(now) }).where(eq(shareLink.id, row.id));
    }
    return { view: { shareId: row.id, siteId: row.siteId, showReplays: row.showReplays, showUserIds: row.showUserIds, showErrors: row.showErrors } };
  }

  /** The public dashboard of a site, when its owner turned it on. */
  async publicView(siteId: number): Promise<ShareView | undefined> {
    const [row] = await this.db.select({ settings: site.settings }).from(site).where(eq(site.id, siteId));
    return row && readSiteSettings(row.settings).publicDashboard ? { shareId: null, siteId, showReplays: false, showUserIds: false, showErrors: false } : undefined;
  }
}
