// Cookieless visitor ids: SHA-256 of a daily-rotating random salt, the site, the IP and the user agent.
import { createHash, randomBytes } from 'node:crypto';
import { lt, sql } from 'drizzle-orm';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { dailySalt } from '../stores/meta/schema.js';

/** First 8 bytes of SHA-256(salt ‖ site ‖ ip ‖ ua) as an unsigned 64-bit decimal string. */
export function visitorIdOf(salt: Buffer, siteId: number, ip: string, userAgent: string): string {
  const h = createHash('sha256');
  h.update(salt);
  h.update(String(siteId));
  h.update('\0');
  h.update(ip);
  h.update('\0');
  h.update(userAgent);
  return h.digest().readBigUInt64BE(0).toString();
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Keeps today's and yesterday's salts in memory. Salts are created in PostgreSQL with
 * ON CONFLICT DO NOTHING, so several instances converge on the same salt for a day.
 */
export class SaltStore {
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly db: MetaDb) {}

  /** Loads (creating when absent) the salts for the UTC day of `now` and the day before; drops older ones. */
  async rotate(now = Date.now()): Promise<void> {
    const today = utcDay(now);
    const yesterday = utcDay(now - 86_400_000);
    await this.db.insert(dailySalt).values({ day: today, salt: randomBytes(32) }).onConflictDoNothing();
    const rows = await this.db
      .select()
      .from(dailySalt)
      .where(sql`${dailySalt.day} IN (${today}, ${yesterday})`);
    this.cache.clear();
    for (const row of rows) this.cache.set(row.day, row.salt);
    // Older salts are deleted so that old visitor ids can never be recomputed.
    await this.db.delete(dailySalt).where(lt(dailySalt.day, yesterday));
  }

  /** Salt of the UTC day of `now`; undefined when rotate() has not loaded that day yet. */
  saltFor(now: number): Buffer | undefined {
    return this.cache.get(utcDay(now));
  }

  /** Salt of the day before `now`, for sessions that cross midnight. */
  previousSaltFor(now: number): Buffer | undefined {
    return this.cache.get(utcDay(now - 86_400_000));
  }
}
