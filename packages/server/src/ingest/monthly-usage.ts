// Counts events per organisation and calendar month (UTC) against the organisation's monthly limit.
import { eq } from 'drizzle-orm';
import type { EventStore } from '../stores/events/event-store.js';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { organization, site } from '../stores/meta/schema.js';

interface OrgUsage {
  month: string;
  limit: number | null;
  count: number;
  checkedAt: number;
}

function utcMonthBounds(now: number): { from: number; to: number } {
  const d = new Date(now);
  return { from: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), to: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

/** Limits are re-read every minute; counts start from the events store once per month and then run in memory. */
export class MonthlyUsage {
  private readonly orgs = new Map<string, OrgUsage>();
  private readonly loading = new Map<string, Promise<OrgUsage>>();

  constructor(private readonly db: MetaDb, private readonly events: EventStore, private readonly refreshMs = 60_000) {}

  /** Counts one event; false when the organisation is already at its limit. */
  async tryCount(orgId: string, now: number): Promise<boolean> {
    const month = new Date(now).toISOString().slice(0, 7);
    let usage = this.orgs.get(orgId);
    if (!usage || usage.month !== month || now - usage.checkedAt > this.refreshMs) usage = await this.load(orgId, month, now, usage);
    if (usage.limit !== null && usage.count >= usage.limit) return false;
    usage.count++;
    return true;
  }

  private load(orgId: string, month: string, now: number, previous: OrgUsage | undefined): Promise<OrgUsage> {
    let p = this.loading.get(orgId);
    if (!p) {
      p = (async () => {
        const [org] = await this.db.select({ limit: organization.monthlyEventLimit }).from(organization).where(eq(organization.id, orgId));
        const limit = org?.limit ?? null;
        let count = previous?.month === month ? previous.count : 0;
        // Only limited organisations need the real count; unlimited ones never ask ClickHouse.
        if (limit !== null && (previous?.month !== month || previous.limit === null)) {
          const siteIds = (await this.db.select({ id: site.id }).from(site).where(eq(site.organizationId, orgId))).map((s) => s.id);
          if (siteIds.length) {
            const [row] = await this.events.query<{ c: string }>(
              // Month bounds computed here in UTC: the engine's own time zone must not move them.
              `SELECT count() AS c FROM events WHERE site_id IN {ids:Array(UInt32)} AND ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`,
              { ids: siteIds, ...utcMonthBounds(now) },
            );
            count = Number(row?.c ?? 0);
          }
        }
        const usage: OrgUsage = { month, limit, count, checkedAt: now };
        this.orgs.set(orgId, usage);
        return usage;
      })().finally(() => this.loading.delete(orgId));
      this.loading.set(orgId, p);
    }
    return p;
  }
}
