// Data retention: deletes each site's events older than its retentionDays setting. Runs at start-up, hourly, and
// right after the setting changes. A per-site job rather than a table TTL: a TTL is fixed per row when it is written,
// so a shorter retention chosen later would not reach the events already stored.
import { sql } from 'drizzle-orm';
import { reconcileVisits } from '../analytics/visit-index.js';
import { deleteRows } from '../stores/events/delete-rows.js';
import type { EventStore } from '../stores/events/event-store.js';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { site } from '../stores/meta/schema.js';
import { readSiteSettings } from '../sites/site-settings.js';
import type { VisitIndexLock } from './visit-index-lock.js';

const DAY_MS = 86_400_000;
const TABLES = ['events', 'bot_events'] as const;

/**
 * Deletes one site's events from before `now - days`, and brings the visit index along (as its only writer meanwhile):
 * visits that began before the cut and went on after it are re-indexed from the events left, the index rows of visits
 * wholly before it are deleted.
 */
export async function applySiteRetention(events: EventStore, lock: VisitIndexLock, siteId: number, days: number, now = Date.now()): Promise<void> {
  const cutoff = now - days * DAY_MS;
  await lock.run(async () => {
    for (const table of TABLES) {
      await deleteRows(events, table, 'site_id = {site:UInt32} AND ts < fromUnixTimestamp64Milli({cutoff:Int64})', { site: siteId, cutoff });
    }
    const cut = `SELECT session_id FROM visits WHERE site_id = {site:UInt32} AND start_ts < fromUnixTimestamp64Milli({cutoff:Int64}) AND end_ts >= fromUnixTimestamp64Milli({cutoff:Int64})`;
    await reconcileVisits(events, cut, { site: siteId, cutoff });
    await deleteRows(events, 'visits', 'site_id = {site:UInt32} AND end_ts < fromUnixTimestamp64Milli({cutoff:Int64})', { site: siteId, cutoff });
  });
}

/** Applies every site's retention; returns the sites it ran for. */
export async function applyRetention(db: MetaDb, events: EventStore, lock: VisitIndexLock, now = Date.now()): Promise<number[]> {
  const rows = await db
    .select({ id: site.id, settings: site.settings })
    .from(site)
    .where(sql`${site.settings}->>'retentionDays' IS NOT NULL`);
  const done: number[] = [];
  for (const row of rows) {
    const days = readSiteSettings(row.settings).retentionDays;
    if (days === null) continue;
    await applySiteRetention(events, lock, row.id, days, now);
    done.push(row.id);
  }
  return done;
}
