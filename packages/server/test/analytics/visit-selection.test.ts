// How visits are selected and counted in one scan: visit-dimension filters as row conditions, selective event filters
// through the visits' session ids, and overview totals (visitors, pageviews) taken from the visit-level scan, with the
// fallback for a visit that carries several visitor ids. Each case is checked against the oracle and by hand.
import { beforeAll, describe, expect, it } from 'vitest';
import { runStatsQuery } from '../../src/analytics/index.js';
import { tempEventsStore } from '../support/temp-events-store.js';
import { eventRow, toNdjson, type EventRow } from './dataset.js';
import { runOracle } from './oracle.js';

const site = { id: 1, timezone: 'UTC' };
const now = new Date('2026-05-20T12:00:00Z');
const at = (hh: number, mm: number, ss = 0) => Date.parse(`2026-05-19T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}Z`);
const google = { source: 'Google', channel: 'Organic Search', referrer: 'https://www.google.com/', referrer_host: 'google.com' };

const ROWS: EventRow[] = [
  // Visit 11 (visitor 1, Google): / then /pricing, a read ping, an interactive signup.
  eventRow({ ts: at(9, 0), visitor_id: '1', session_id: '11', pathname: '/', ...google }),
  eventRow({ ts: at(9, 1), visitor_id: '1', session_id: '11', pathname: '/pricing', ...google }),
  eventRow({ ts: at(9, 3), visitor_id: '1', session_id: '11', type: 'engagement', pathname: '/pricing', engaged_ms: 90_000, scroll_depth: 70, ...google }),
  eventRow({ ts: at(9, 4), visitor_id: '1', session_id: '11', type: 'event', name: 'Signup', pathname: '/pricing', interactive: 1, ...google }),
  // Visit 12 (direct) whose events carry two visitor ids (2 and 3): a visit ingestion would not write, counted as defined.
  eventRow({ ts: at(10, 0), visitor_id: '2', session_id: '12', pathname: '/docs' }),
  eventRow({ ts: at(10, 2), visitor_id: '3', session_id: '12', pathname: '/pricing' }),
  // Visit 13 (visitor 1 again, Google): a one-page bounce on /blog.
  eventRow({ ts: at(15, 0), visitor_id: '1', session_id: '13', pathname: '/blog', ...google }),
  // Visit 14 (visitor 4, direct): /pricing read for 40 s, still a bounce.
  eventRow({ ts: at(18, 0), visitor_id: '4', session_id: '14', pathname: '/pricing' }),
  eventRow({ ts: at(18, 0, 40), visitor_id: '4', session_id: '14', type: 'engagement', pathname: '/pricing', engaged_ms: 40_000 }),
];

const temp = tempEventsStore('visit-selection');
beforeAll(async () => {
  await temp.store.insertJsonEachRow('events', toNdjson(ROWS));
});

const OVERVIEW = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'];
type Row = [(string | number)[], number[]];
// Rows in a stable order: the engine and the oracle may order tied rows differently.
const sorted = (rows: Row[]) => rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const engine = async (request: Record<string, unknown>) =>
  sorted((await runStatsQuery(temp.store, site, { site_id: 1, date_range: 'yesterday', ...request }, { now })).results.map((r): Row => [r.dimensions, r.metrics]));
const oracle = (request: Record<string, unknown>) =>
  sorted(runOracle(ROWS, site, { site_id: 1, date_range: 'yesterday', ...request }, now).rows.map((r): Row => [r.dimensions, r.metrics]));

describe('visit selection and overview totals', () => {
  it('counts the visitors of a visit with several visitor ids in an unfiltered overview', async () => {
    // Visitors 1, 2, 3, 4; visits 11-14; 6 pageviews; bounces 13 and 14; durations 240 + 120 + 0 + 40 s.
    expect(await engine({ metrics: OVERVIEW })).toEqual([[[], [4, 4, 6, 1.5, 50, 100]]]);
    expect(await engine({ metrics: OVERVIEW })).toEqual(oracle({ metrics: OVERVIEW }));
  });

  it('takes visitors and pageviews from the visit scan under a visit-dimension filter', async () => {
    const cases = [
      [['is', 'source', ['Google']]],
      [['is_not', 'source', ['Google']]],
      ['or', [['is', 'source', ['Google']], ['is', 'channel', ['Direct']]]],
      [['is', 'entry_page', ['/docs']]],
    ];
    for (const filters of cases) expect(await engine({ metrics: OVERVIEW, filters }), JSON.stringify(filters)).toEqual(oracle({ metrics: OVERVIEW, filters }));
    expect(await engine({ metrics: OVERVIEW, filters: [['is', 'source', ['Google']]] })).toEqual([[[], [1, 2, 3, 1.5, 50, 120]]]);
  });

  it('selects the visits that contain a matching event, by session id or by grouping every visit', async () => {
    const cases = [
      [['is', 'page', ['/pricing']]], // selective: session ids first
      [['is', 'page', ['/pricing', '/blog']]],
      [['is', 'page', ['/docs', '/pricing']]], // both visitor ids of visit 12 match: visitors are counted from the events
      [['contains', 'page', ['PRIC']]],
      [['is_not', 'page', ['/pricing']]], // a negation: every visit grouped
      ['not', ['is', 'page', ['/blog']]],
      ['or', [['is', 'page', ['/blog']], ['is', 'source', ['Google']]]],
      [['is', 'source', ['Google']], ['is', 'page', ['/pricing']]], // visit conjunct as a row condition, page selects
      [['is', 'entry_page', ['/']], ['is', 'page', ['/pricing']]], // joined entry page: grouped
      [['is', 'event', ['Signup']]],
    ];
    for (const filters of cases) {
      for (const request of [
        { metrics: OVERVIEW, filters },
        { metrics: ['visits', 'bounce_rate', 'visit_duration'], dimensions: ['source'], filters },
        { metrics: ['visitors', 'visits', 'bounce_rate'], dimensions: ['page'], filters },
        { metrics: ['visits', 'pageviews'], dimensions: ['time:hour'], filters },
      ]) {
        expect(await engine(request), JSON.stringify(request)).toEqual(oracle(request));
      }
    }
    // /pricing: visits 11, 12, 14 with all their events; its pageviews and the visitors who saw it.
    expect(await engine({ metrics: OVERVIEW, filters: [['is', 'page', ['/pricing']]] })).toEqual([[[], [3, 3, 3, 1.67, 33.3, 133]]]);
  });
});
