// Whether the events projection (migration 4) holds exactly the live rows: the same number and the same content (a
// hash over every column it keeps), read from the projection itself, and a projection in every part that has rows. A
// stale one would answer queries by page with rows that were deleted, or without rows that were written.
import { expect } from 'vitest';
import type { EventStore } from '../../src/stores/events/event-store.js';
import { EVENTS_BY_PAGE } from '../../src/stores/events/migrations.js';

const FINGERPRINT = `toString(count()) AS rows, toString(sum(cityHash64(site_id, type, pathname, visitor_id, session_id, ts))) AS content`;

export async function expectProjectionInStep(store: EventStore): Promise<void> {
  const [table] = await store.query(`SELECT ${FINGERPRINT} FROM events SETTINGS optimize_use_projections = 0`);
  const [projected] = await store.query(`SELECT ${FINGERPRINT} FROM mergeTreeProjection(currentDatabase(), events, ${EVENTS_BY_PAGE})`);
  expect(projected).toEqual(table);
  const [parts] = await store.query<{ with_rows: string; projected: string }>(
    `SELECT
       toString((SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active AND rows > 0)) AS with_rows,
       toString((SELECT count() FROM system.projection_parts WHERE database = currentDatabase() AND table = 'events' AND name = {name:String} AND active AND rows > 0)) AS projected`,
    { name: EVENTS_BY_PAGE },
  );
  expect(parts!.projected).toBe(parts!.with_rows);
}
