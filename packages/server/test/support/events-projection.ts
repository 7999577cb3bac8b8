// Whether the events projection (migration 4) holds exactly the live rows, in every part that has rows: a stale one
// would answer page breakdowns with rows that were deleted, or without rows that were written.
import { expect } from 'vitest';
import type { EventStore } from '../../src/stores/events/event-store.js';
import { EVENTS_BY_PAGE } from '../../src/stores/events/migrations.js';

export async function expectProjectionInStep(store: EventStore): Promise<void> {
  const [row] = await store.query<{ live: string; projected: string; parts: string; projected_parts: string }>(
    `SELECT
       toString((SELECT count() FROM events SETTINGS optimize_use_projections = 0)) AS live,
       toString((SELECT sum(rows) FROM system.projection_parts WHERE database = currentDatabase() AND table = 'events' AND name = {name:String} AND active)) AS projected,
       toString((SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active AND rows > 0)) AS parts,
       toString((SELECT count() FROM system.projection_parts WHERE database = currentDatabase() AND table = 'events' AND name = {name:String} AND active)) AS projected_parts`,
    { name: EVENTS_BY_PAGE },
  );
  expect({ projected: row!.projected, parts: row!.projected_parts }).toEqual({ projected: row!.live, parts: row!.parts });
}
