// The visit index against grouping from the events, on random data: visits of random length (some across midnight,
// some hours long), events arriving in random batches between index runs (late events of old visits included), runs
// in random slices, random ranges and filters. Every answer must be the same both ways.
import { expect, it } from 'vitest';
import { runStatsQuery } from '../../src/analytics/index.js';
import { refreshVisitIndex } from '../../src/analytics/visit-index.js';
import { tempEventsStore } from '../support/temp-events-store.js';
import { eventRow, toNdjson, type EventRow } from './dataset.js';

const site = { id: 1, timezone: 'America/New_York' };
const DAY = 86_400_000;
const START = Date.parse('2026-03-05T00:00:00Z'); // the range covers New York's switch to summer time (8 March)
const now = new Date(START + 10 * DAY);

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20261204);
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T,>(xs: readonly T[]) => xs[int(0, xs.length - 1)]!;

const PAGES = ['/', '/pricing', '/docs', '/blog', '/signup'];
const SOURCES = ['', 'Google', 'Newsletter'];

/** 400 visits over 8 days; each event is given to one of four insert batches (late ones after their visit's first). */
function generate(): EventRow[][] {
  const batches: EventRow[][] = [[], [], [], []];
  for (let v = 0; v < 400; v++) {
    const sessionId = String(1000 + v);
    const visitorId = String(500 + int(0, 250));
    const source = pick(SOURCES);
    const long = random() < 0.05; // a few visits last hours (pings every 25 min)
    let t = START + int(0, 8 * DAY);
    const events = long ? int(5, 14) : int(1, 6);
    const firstBatch = int(0, 3);
    for (let e = 0; e < events; e++) {
      const type = e === 0 || random() < 0.6 ? 'pageview' : pick(['engagement', 'event'] as const);
      const row = eventRow({
        ts: t,
        visitor_id: visitorId,
        session_id: sessionId,
        type,
        name: type === 'event' ? 'Signup' : '',
        interactive: type === 'event' ? 1 : 0,
        pathname: pick(PAGES),
        source,
        channel: source ? 'Referral' : 'Direct',
      });
      batches[e === 0 ? firstBatch : int(firstBatch, 3)]!.push(row);
      t += long ? 25 * 60_000 : int(1, 20 * 60_000);
    }
  }
  return batches;
}

const temp = tempEventsStore('visit-index-random');
const batches = generate();

function requests(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 12; i++) {
    const first = int(0, 8);
    const last = first + int(0, 3);
    const day = (n: number) => new Date(START + n * DAY).toISOString().slice(0, 10);
    const filters = pick([undefined, [['is', 'source', ['Google']]], [['is', 'page', ['/pricing']]], [['is_not', 'page', ['/blog']]], [['is', 'entry_page', ['/']]]]);
    const dimensions = pick([[], ['time:day'], ['time:hour'], ['source'], ['exit_page']]);
    out.push({
      site_id: 1,
      date_range: [day(first), day(last)],
      metrics: dimensions.length === 0 ? ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'] : ['visits', 'bounce_rate', 'visit_duration', 'views_per_visit'],
      dimensions,
      ...(filters ? { filters } : {}),
    });
  }
  return out;
}

/** Rows in a stable order: tied rows may come in any order. */
const sorted = (rows: { dimensions: unknown[]; metrics: number[] }[]) => rows.map((r) => JSON.stringify([r.dimensions, r.metrics])).sort();

it('answers every query as grouping from the events does, at every stage of indexing', async () => {
  let stages = 0;
  for (const batch of batches) {
    await temp.store.insertJsonEachRow('events', toNdjson(batch));
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Sometimes the index runs after a batch (in slices of a few dozen events), sometimes it falls behind.
    if (random() < 0.75) await refreshVisitIndex(temp.store, { visibilityMarginMs: 0, sliceRows: int(20, 400) });
    for (const request of requests()) {
      const indexed = await runStatsQuery(temp.store, site, request, { now, visitIndex: true });
      const grouped = await runStatsQuery(temp.store, site, request, { now, visitIndex: false });
      expect(sorted(indexed.results), JSON.stringify(request)).toEqual(sorted(grouped.results));
    }
    stages++;
  }
  expect(stages).toBe(4);
  // And once fully indexed.
  await refreshVisitIndex(temp.store, { visibilityMarginMs: 0 });
  for (const request of requests()) {
    const indexed = await runStatsQuery(temp.store, site, request, { now, visitIndex: true });
    const grouped = await runStatsQuery(temp.store, site, request, { now, visitIndex: false });
    expect(sorted(indexed.results), JSON.stringify(request)).toEqual(sorted(grouped.results));
  }
});
