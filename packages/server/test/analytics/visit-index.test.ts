// The visit index (analytics/visit-index.ts): what a run writes, that runs are idempotent and repair a run that died
// half-way, that queries stay exact while the index lags, and that retention and site deletion keep it in step.
// Every answer through the index is compared with the same query grouping visits from the events, and with the oracle.
import { describe, expect, it } from 'vitest';
import { runStatsQuery } from '../../src/analytics/index.js';
import { readVisitIndex, refreshVisitIndex, VISIT_STATE_COLUMNS } from '../../src/analytics/visit-index.js';
import { applySiteRetention } from '../../src/jobs/retention.js';
import { createVisitIndexLock } from '../../src/jobs/visit-index-lock.js';
import { tempEventsStore } from '../support/temp-events-store.js';
import { eventRow, toNdjson, type EventRow } from './dataset.js';
import { runOracle } from './oracle.js';

const site = { id: 1, timezone: 'Europe/Berlin' };
const now = new Date('2026-05-21T12:00:00Z');
/** 2026-05-19 or -20 at hh:mm UTC (Berlin is UTC+2: its 20 May starts at 19 May 22:00 UTC). */
const at = (day: 19 | 20, hh: number, mm: number) => Date.parse(`2026-05-${day}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`);
const google = { source: 'Google', channel: 'Organic Search', referrer: 'https://www.google.com/', referrer_host: 'google.com' };

const FIRST: EventRow[] = [
  // 21: two pages and a signup, wholly on Berlin's 19 May.
  eventRow({ ts: at(19, 9, 0), visitor_id: '1', session_id: '21', pathname: '/', ...google }),
  eventRow({ ts: at(19, 9, 2), visitor_id: '1', session_id: '21', pathname: '/pricing', ...google }),
  eventRow({ ts: at(19, 9, 3), visitor_id: '1', session_id: '21', type: 'event', name: 'Signup', pathname: '/pricing', interactive: 1, ...google }),
  // 22: a bounce.
  eventRow({ ts: at(19, 12, 0), visitor_id: '2', session_id: '22', pathname: '/blog' }),
  // 23: crosses Berlin's midnight (22:00 UTC): one visit in each day, one in the two days together.
  eventRow({ ts: at(19, 21, 50), visitor_id: '3', session_id: '23', pathname: '/docs' }),
  eventRow({ ts: at(19, 22, 5), visitor_id: '3', session_id: '23', pathname: '/docs/api' }),
  eventRow({ ts: at(19, 22, 20), visitor_id: '3', session_id: '23', type: 'engagement', pathname: '/docs/api', engaged_ms: 60_000 }),
  // 24: on the 20th.
  eventRow({ ts: at(20, 8, 0), visitor_id: '4', session_id: '24', pathname: '/pricing', ...google }),
  // 26: a visit whose events carry two visitor ids (ingestion would not write it; counted as defined all the same).
  eventRow({ ts: at(20, 14, 0), visitor_id: '6', session_id: '26', pathname: '/', ...google }),
  eventRow({ ts: at(20, 14, 1), visitor_id: '7', session_id: '26', pathname: '/pricing', ...google }),
];
/** Later events of visits 22 and 24, and a new visit 25. */
const SECOND: EventRow[] = [
  eventRow({ ts: at(19, 12, 10), visitor_id: '2', session_id: '22', pathname: '/pricing' }),
  eventRow({ ts: at(20, 8, 5), visitor_id: '4', session_id: '24', type: 'engagement', pathname: '/pricing', engaged_ms: 300_000, ...google }),
  eventRow({ ts: at(20, 10, 0), visitor_id: '5', session_id: '25', pathname: '/', ...google }),
];

const OVERVIEW = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'];
const REQUESTS: Record<string, unknown>[] = [];
for (const date_range of [['2026-05-19', '2026-05-19'], ['2026-05-20', '2026-05-20'], ['2026-05-19', '2026-05-20']]) {
  REQUESTS.push(
    { date_range, metrics: OVERVIEW },
    { date_range, metrics: OVERVIEW, filters: [['is', 'source', ['Google']]] },
    { date_range, metrics: OVERVIEW, filters: [['is', 'page', ['/pricing']]] },
    { date_range, metrics: ['visits', 'bounce_rate', 'visit_duration'], dimensions: ['time:hour'] },
    { date_range, metrics: ['visits', 'views_per_visit'], dimensions: ['entry_page'] },
    { date_range, metrics: ['visits', 'bounce_rate'], dimensions: ['source'], filters: [['is_not', 'page', ['/blog']]] },
    { date_range, metrics: ['visitors', 'pageviews'], dimensions: ['source'] },
    { date_range, metrics: ['visitors', 'pageviews'], dimensions: ['channel'], filters: [['is', 'page', ['/pricing']]] },
    { date_range, metrics: OVERVIEW, filters: [['is', 'entry_page', ['/']], ['is', 'page', ['/pricing']]] },
    // Visit 24's exit page is /pricing in both its states; visit 22's changes from /blog to /pricing.
    { date_range, metrics: OVERVIEW, filters: [['is', 'exit_page', ['/blog']]] },
    { date_range, metrics: ['visits', 'bounce_rate'], dimensions: ['exit_page'], filters: [['is_not', 'entry_page', ['/blog']], ['contains', 'page', ['pric']]] },
  );
}

const temp = tempEventsStore('visit-index');
const inserted: EventRow[] = [];
async function insert(rows: EventRow[]): Promise<void> {
  await temp.store.insertJsonEachRow('events', toNdjson(rows));
  inserted.push(...rows);
  await new Promise((resolve) => setTimeout(resolve, 5)); // the next watermark falls after these rows
}
const refresh = () => refreshVisitIndex(temp.store, { visibilityMarginMs: 0 });

/** Each request through the index equals the same request grouped from the events, and the oracle's answer. */
async function expectExact(): Promise<void> {
  for (const request of REQUESTS) {
    const full = { site_id: 1, ...request };
    const indexed = (await runStatsQuery(temp.store, site, full, { now, visitIndex: true })).results;
    const grouped = (await runStatsQuery(temp.store, site, full, { now, visitIndex: false })).results;
    const oracle = runOracle(inserted, site, full, now).rows;
    // Tied rows may come in any order: compared sorted.
    const plain = (rows: readonly { dimensions: readonly unknown[]; metrics: readonly number[] }[]) =>
      rows.map((r) => JSON.stringify([r.dimensions, r.metrics])).sort();
    expect(plain(indexed), JSON.stringify(request) + JSON.stringify(plain(indexed)) + JSON.stringify(plain(grouped))).toEqual(plain(grouped));
    expect(plain(indexed), JSON.stringify(request)).toEqual(plain(oracle));
  }
}

/** Each session's net state in the index: the rows whose signs do not cancel. */
async function netStates(): Promise<Record<string, unknown>[]> {
  const rows = await temp.store.query<Record<string, string | number>>(
    `SELECT session_id, toUnixTimestamp64Milli(start_ts) AS start, toUnixTimestamp64Milli(end_ts) AS end, pageviews, interactions, entry_page, exit_page, source, sum(sign) AS net
     FROM visits GROUP BY ${VISIT_STATE_COLUMNS.join(', ')} HAVING net != 0 ORDER BY session_id`,
  );
  return rows.map((r) => ({ ...r, start: Number(r.start), end: Number(r.end), net: Number(r.net) }));
}
const rowCount = async () => Number((await temp.store.query<{ n: string }>('SELECT toString(count()) AS n FROM visits'))[0]!.n);


describe('visit index', () => {
  it('is not used before its first run; a run indexes every visit with its state', async () => {
    await insert(FIRST);
    expect(await readVisitIndex(temp.store)).toBeUndefined();
    await expectExact();
    await refresh();
    expect(await netStates()).toEqual([
      { session_id: '21', start: at(19, 9, 0), end: at(19, 9, 3), pageviews: 2, interactions: 1, entry_page: '/', exit_page: '/pricing', source: 'Google', net: 1 },
      { session_id: '22', start: at(19, 12, 0), end: at(19, 12, 0), pageviews: 1, interactions: 0, entry_page: '/blog', exit_page: '/blog', source: '', net: 1 },
      { session_id: '23', start: at(19, 21, 50), end: at(19, 22, 20), pageviews: 2, interactions: 0, entry_page: '/docs', exit_page: '/docs/api', source: '', net: 1 },
      { session_id: '24', start: at(20, 8, 0), end: at(20, 8, 0), pageviews: 1, interactions: 0, entry_page: '/pricing', exit_page: '/pricing', source: 'Google', net: 1 },
      { session_id: '26', start: at(20, 14, 0), end: at(20, 14, 1), pageviews: 2, interactions: 0, entry_page: '/', exit_page: '/pricing', source: 'Google', net: 1 },
    ]);
    expect((await readVisitIndex(temp.store))!.maxVisitMs).toBe(30 * 60_000);
    await expectExact();
  });

  it('writes nothing when run again with nothing new', async () => {
    const before = await rowCount();
    await refresh();
    await refresh();
    expect(await rowCount()).toBe(before);
  });

  it('stays exact while visits have events after the watermark, and takes them in on its next run', async () => {
    await insert(SECOND);
    await expectExact(); // 22 and 24 are stale in the index and read from the events; 25 is not indexed yet
    const before = await rowCount();
    await refresh();
    // 22 and 24: -1 for the old state, +1 for the new; 25: +1.
    expect(await rowCount()).toBe(before + 5);
    const states = await netStates();
    expect(states.map((s) => [s.session_id, s.pageviews, s.end, s.net])).toEqual([
      ['21', 2, at(19, 9, 3), 1],
      ['22', 2, at(19, 12, 10), 1],
      ['23', 2, at(19, 22, 20), 1],
      ['24', 1, at(20, 8, 5), 1],
      ['25', 1, at(20, 10, 0), 1],
      ['26', 2, at(20, 14, 1), 1],
    ]);
    await expectExact();
  });

  it('repairs what a run that died half-way left behind', async () => {
    // A new event of visit 25, then the rows of a run that wrote the new state but died before cancelling the old one.
    const late = eventRow({ ts: at(20, 10, 4), visitor_id: '5', session_id: '25', type: 'event', name: 'Signup', interactive: 1, ...google });
    await insert([late]);
    const newState = VISIT_STATE_COLUMNS.map((c) => (c === 'end_ts' ? 'fromUnixTimestamp64Milli({end:Int64})' : c === 'interactions' ? '1' : c));
    await temp.store.command(
      `INSERT INTO visits (${VISIT_STATE_COLUMNS.join(', ')}, version, sign) SELECT ${newState.join(', ')}, version + 1, 1 FROM visits WHERE session_id = 25 AND sign = 1`,
      { end: late.ts },
    );
    expect((await netStates()).filter((s) => s.session_id === '25')).toHaveLength(2); // the old state and the new, both counted
    await refresh(); // the dead run's window comes round again: session 25 is reconciled
    expect((await netStates()).filter((s) => s.session_id === '25')).toEqual([
      { session_id: '25', start: at(20, 10, 0), end: at(20, 10, 4), pageviews: 1, interactions: 1, entry_page: '/', exit_page: '/', source: 'Google', net: 1 },
    ]);
    await expectExact();
  });

  it('follows retention: a visit cut by it is re-indexed from what is left, older visits leave the index', async () => {
    // Keep from 19 May 22:00 UTC: visits 21 and 22 go, visit 23 loses its first pageview.
    const cutoff = at(19, 22, 0);
    const days = (now.getTime() - cutoff) / 86_400_000;
    await applySiteRetention(temp.store, createVisitIndexLock(), 1, days, now.getTime());
    inserted.splice(0, inserted.length, ...inserted.filter((r) => r.ts >= cutoff));
    expect((await netStates()).map((s) => [s.session_id, s.start, s.pageviews])).toEqual([
      ['23', at(19, 22, 5), 1],
      ['24', at(20, 8, 0), 1],
      ['25', at(20, 10, 0), 1],
      ['26', at(20, 14, 0), 2],
    ]);
    expect(Number((await temp.store.query<{ n: string }>(`SELECT toString(count()) AS n FROM visits WHERE session_id IN (21, 22)`))[0]!.n)).toBe(0);
    await expectExact();
  });
});
