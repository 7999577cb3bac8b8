// The visit index: each visit's state (start, end, pageviews, interactions, entry/exit page, visit attributes) as rows
// of the `visits` table, kept in step with `events` so that visit metrics over a long range are sums over visits
// instead of a grouping of every event by visit (build-sql.ts, indexedVisitSql).
//
// The index follows the events store, which stays the truth. A run takes the sessions with an event inserted since the
// last run (events.inserted_at), recomputes their state from all their events and writes the difference: -1 for each
// state row that no longer holds, +1 for the new state (VersionedCollapsingMergeTree collapses the pairs; every sum
// weighted by sign is exact before and after). Reconciling is idempotent, so a run that died half-way is repaired by
// the next one, and each run also looks again at the minutes before its window (inserts that became visible late).
//
// Queries stay exact while the index lags: a session with an event inserted after the watermark is read from the
// events (see readVisitIndex and indexedVisitSql).
import type { EventStore } from '../stores/events/event-store.js';
import { VISIT_DIMENSIONS } from './catalog.js';

/** The visit attributes of the index, named as in `events` (DESIGN.md §6: those of the visit's first event). */
const ATTRIBUTES = Object.values(VISIT_DIMENSIONS);

/** The state columns of a `visits` row, in table order (then version and sign). */
export const VISIT_STATE_COLUMNS = [
  'site_id',
  'session_id',
  'visitor_lo',
  'visitor_hi',
  'start_ts',
  'end_ts',
  'pageviews',
  'interactions',
  'entry_page',
  'exit_page',
  ...ATTRIBUTES,
] as const;

/** Events inserted this long before a run's start may still be becoming visible: each run looks at them again. */
export const VISIBILITY_MARGIN_MS = 60_000;
/** How far back each run looks again, besides its own window (see the module comment). */
const LOOK_AGAIN_MS = 10 * 60_000;
/** About how many new events one reconciling statement takes (see refreshVisitIndex). */
export const SLICE_ROWS = 500_000;

const COLS = VISIT_STATE_COLUMNS.join(', ');

/** Each selected session's state from its events (all of them: the caller bounds `ts` to where they can be). */
function statesSql(sessions: string): string {
  // Ties in time are broken by value, the same way whatever order the rows are read in (merges reorder them).
  const attributes = ATTRIBUTES.map((a) => `argMin(${a}, (ts, ${a})) AS ${a}`).join(', ');
  return `SELECT site_id, session_id, min(visitor_id) AS visitor_lo, max(visitor_id) AS visitor_hi, min(ts) AS start_ts, max(ts) AS end_ts,
      toUInt32(countIf(type = 'pageview')) AS pageviews, toUInt32(countIf(interactive = 1)) AS interactions,
      argMinIf(pathname, (ts, pathname), type = 'pageview') AS entry_page, argMaxIf(pathname, (ts, pathname), type = 'pageview') AS exit_page, ${attributes}
    FROM events WHERE session_id IN (${sessions}) AND ts >= fromUnixTimestamp64Milli({events_from:Int64}) AND ts <= fromUnixTimestamp64Milli({events_to:Int64})
    GROUP BY site_id, session_id`;
}

/**
 * Brings the index rows of the selected sessions in line with their events. `sessions` is a subquery of session ids;
 * its parameters go in `params`. States that hold already are left alone, so reconciling twice writes nothing.
 *
 * The sessions' events are looked for between the bounds of their indexed states and of the events `newEvents` (a
 * condition on events) selects: the caller's promise is that every event of those sessions not yet in their indexed
 * state is among them.
 */
export async function reconcileVisits(store: EventStore, sessions: string, params: Record<string, string | number>, newEvents?: string): Promise<void> {
  if ('events_from' in params || 'events_to' in params) throw new Error('reconcileVisits: events_from and events_to are its own parameters');
  const [bounds] = await store.query<{ lo: string; hi: string; found: string }>(
    `SELECT toString(min(lo)) AS lo, toString(max(hi)) AS hi, toString(sum(n)) AS found FROM (
       ${newEvents ? `SELECT min(toUnixTimestamp64Milli(ts)) AS lo, max(toUnixTimestamp64Milli(ts)) AS hi, count() AS n FROM events WHERE ${newEvents} UNION ALL` : ''}
       SELECT min(toUnixTimestamp64Milli(start_ts)) AS lo, max(toUnixTimestamp64Milli(end_ts)) AS hi, count() AS n FROM visits WHERE session_id IN (${sessions})
     ) WHERE n > 0`,
    params,
  );
  if (!bounds || Number(bounds.found) === 0) return;
  const all = { ...params, events_from: Number(bounds.lo), events_to: Number(bounds.hi) };
  // A state's version is the hash of its content: the -1 that cancels a state carries the state's own version, and
  // VersionedCollapsingMergeTree collapses rows of equal key and version whatever order they were written in.
  await store.command(
    `INSERT INTO visits (${COLS}, version, sign)
     SELECT ${COLS}, if(diff > 0, cityHash64(${COLS}), old_version), toInt8(if(diff > 0, 1, -1))
     FROM (
       SELECT ${COLS}, sum(w) AS diff, max(old_v) AS old_version FROM (
         SELECT ${COLS}, toInt64(1) AS w, toUInt64(0) AS old_v FROM (${statesSql(sessions)})
         UNION ALL
         SELECT ${COLS}, toInt64(-sign) AS w, version AS old_v FROM visits WHERE session_id IN (${sessions})
       ) GROUP BY ${COLS} HAVING diff != 0
     ) ARRAY JOIN range(toUInt64(abs(diff))) AS repeat`,
    all,
  );
}

export interface VisitIndexState {
  /** Every event inserted up to this instant (ms) is in the index. */
  watermark: number;
  /** The longest visit in the index (ms): how far before a range a visit crossing its start can begin. */
  maxVisitMs: number;
}

/** What the index of one site lacks: its visits with events inserted after the watermark, and where their events are. */
export interface UnindexedVisits {
  sessionIds: string[];
  /** The first and last instant (ms) their events can be at. */
  first: number;
  last: number;
}

/** Past this many unindexed visits a site's queries group every visit from the events (the index is far behind). */
export const MAX_UNINDEXED_VISITS = 20_000;

/** The index's progress, or undefined before its first run (queries then read the events only). */
export async function readVisitIndex(store: EventStore): Promise<VisitIndexState | undefined> {
  const [row] = await store.query<{ runs: string; watermark: string; max_visit_ms: string }>(
    `SELECT toString(count()) AS runs, toString(toUnixTimestamp64Milli(max(watermark))) AS watermark, toString(max(max_visit_ms)) AS max_visit_ms FROM visits_progress`,
  );
  if (!row || Number(row.runs) === 0) return undefined;
  return { watermark: Number(row.watermark), maxVisitMs: Number(row.max_visit_ms) };
}

/** The index as one site's queries use it. */
export interface SiteVisitIndex extends VisitIndexState {
  /** The site's visits the index does not hold as they are now; undefined: none. */
  unindexed: UnindexedVisits | undefined;
}

/**
 * The index for one site's queries, or undefined before the index's first run or when it is too far behind. The
 * unindexed visits are read once, so that the queries that follow agree on which visits come from the index.
 */
export async function readSiteVisitIndex(store: EventStore, siteId: number): Promise<SiteVisitIndex | undefined> {
  const index = await readVisitIndex(store);
  if (!index) return undefined;
  const newEvents = `SELECT session_id, ts FROM events WHERE site_id = {site:UInt32} AND inserted_at > fromUnixTimestamp64Milli({watermark:Int64})`;
  // Their events are around the new ones and within their indexed states (which hold every event up to the watermark).
  const rows = await store.query<{ session_id: string; first: string; last: string }>(
    `SELECT session_id, toString(toUnixTimestamp64Milli(min(t))) AS first, toString(toUnixTimestamp64Milli(max(t))) AS last FROM (
       SELECT session_id, ts AS t FROM (${newEvents})
       UNION ALL SELECT session_id, start_ts FROM visits WHERE site_id = {site:UInt32} AND session_id IN (SELECT session_id FROM (${newEvents}))
       UNION ALL SELECT session_id, end_ts FROM visits WHERE site_id = {site:UInt32} AND session_id IN (SELECT session_id FROM (${newEvents})))
     GROUP BY session_id LIMIT {limit:UInt32}`,
    { site: siteId, watermark: index.watermark, limit: MAX_UNINDEXED_VISITS + 1 },
  );
  if (rows.length > MAX_UNINDEXED_VISITS) return undefined;
  const unindexed =
    rows.length === 0
      ? undefined
      : {
          sessionIds: rows.map((r) => r.session_id),
          first: Math.min(...rows.map((r) => Number(r.first))),
          last: Math.max(...rows.map((r) => Number(r.last))),
        };
  return { ...index, unindexed };
}

/**
 * One run: indexes the sessions with events inserted after the last watermark (and up to a margin before now, judged
 * by the events store's clock), then records the new watermark. The caller makes sure only one run happens at a time.
 */
export async function refreshVisitIndex(store: EventStore, opts: { visibilityMarginMs?: number; sliceRows?: number } = {}): Promise<VisitIndexState> {
  const previous = await readVisitIndex(store);
  const [clock] = await store.query<{ now: string }>(`SELECT toString(toUnixTimestamp64Milli(now64(3))) AS now`);
  const watermark = Number(clock!.now) - (opts.visibilityMarginMs ?? VISIBILITY_MARGIN_MS);
  // Before the first run every stored event is new (rows from before the index carry the epoch).
  const from = previous ? Math.min(previous.watermark, watermark) - LOOK_AGAIN_MS : -1;
  const inserted = `inserted_at > fromUnixTimestamp64Milli({from:Int64}) AND inserted_at <= fromUnixTimestamp64Milli({to:Int64})`;
  // A large window (the first run over a store with history, a long outage) goes in slices of event time, so that no
  // single statement holds the store long (chDB runs one statement at a time). A visit cut by a slice boundary is
  // reconciled in both slices: the second finds the first's state and all the visit's events.
  const [span] = await store.query<{ n: string; first: string; last: string }>(
    `SELECT toString(count()) AS n, toString(toUnixTimestamp64Milli(min(ts))) AS first, toString(toUnixTimestamp64Milli(max(ts))) AS last FROM events WHERE ${inserted}`,
    { from, to: watermark },
  );
  const rows = Number(span!.n);
  const first = Number(span!.first);
  const last = Number(span!.last);
  const sliceRows = opts.sliceRows ?? SLICE_ROWS;
  const step = rows <= sliceRows ? Infinity : Math.max(3600_000, Math.ceil(((last - first + 1) * sliceRows) / rows));
  for (let lo = first; rows > 0 && lo <= last; lo += step) {
    const slice = `${inserted} AND ts >= fromUnixTimestamp64Milli({lo:Int64}) AND ts < fromUnixTimestamp64Milli({hi:Int64})`;
    const hi = Math.min(lo + step, last + 1);
    await reconcileVisits(store, `SELECT session_id FROM events WHERE ${slice}`, { from, to: watermark, lo, hi }, slice);
  }
  const [longest] = await store.query<{ ms: string }>(
    `SELECT toString(max(toUnixTimestamp64Milli(end_ts) - toUnixTimestamp64Milli(start_ts))) AS ms FROM visits
     WHERE sign = 1 AND session_id IN (SELECT session_id FROM events WHERE ${inserted})`,
    { from, to: watermark },
  );
  const state = { watermark: Math.max(watermark, previous?.watermark ?? 0), maxVisitMs: Math.max(Number(longest?.ms ?? 0), previous?.maxVisitMs ?? 0) };
  await store.command(
    `INSERT INTO visits_progress (watermark, max_visit_ms) VALUES (fromUnixTimestamp64Milli({watermark:Int64}), {max:Int64})`,
    { watermark: state.watermark, max: state.maxVisitMs },
  );
  return state;
}
