// Realtime figures: visitors active in the last five minutes, from the events store.
import type { EventStore } from '../stores/events/event-store.js';

export const CURRENT_VISITORS_WINDOW_MS = 5 * 60_000;

export async function currentVisitors(events: EventStore, siteId: number, now = Date.now()): Promise<number> {
  const [row] = await events.query<{ n: string }>(
    'SELECT uniqExact(visitor_id) AS n FROM events WHERE site_id = {site:UInt32} AND ts >= fromUnixTimestamp64Milli({from:Int64})',
    { site: siteId, from: now - CURRENT_VISITORS_WINDOW_MS },
  );
  return Number(row?.n ?? 0);
}
