// Every metric of the Stats engine against the oracle, on a generated data set in a real events store (chDB); run by
// correctness.test.ts (visits grouped from the events) and correctness-indexed.test.ts (through the visit index, part of
// it stale). Those files set the process's zone to Lord Howe time (UTC+10:30/+11, half-hour DST) before chDB starts, so
// that anything depending on the server's or the process's zone instead of the site's shows up as wrong numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/stores/events/event-store.js';
import type { TestEesee } from '../support/test-eesee.js';
import { FIXTURES, generateDataset, KOLKATA, NY, toNdjson, type SiteFixture } from './dataset.js';
import {
  compareRows,
  COUNT_METRICS,
  METRIC_DECIMALS,
  OracleRequestError,
  runOracle,
  type FilterExpr,
  type Metric,
  type OracleAnswer,
  type OracleRow,
  type StatsRequest,
} from './oracle.js';

interface EngineRow {
  dimensions: (string | number)[];
  metrics: number[];
  comparison?: { metrics: number[]; change: (number | null)[] };
}
interface EngineAnswer {
  results: EngineRow[];
  query: unknown;
  meta: { warnings: string[]; total_rows: number; time_labels?: string[] };
}
type RunStatsQuery = (events: EventStore, site: { id: number; timezone: string }, request: unknown, opts?: { now?: Date; visitIndex?: boolean }) => Promise<EngineAnswer>;

/** How visits are counted: grouped from the events, or through the visit index. */
const MODE: 'events' | 'index' = (globalThis as { eeseeCorrectnessMode?: 'events' | 'index' }).eeseeCorrectnessMode ?? 'events';
const DATA = generateDataset();
let eesee: TestEesee;
let runStatsQuery: RunStatsQuery;
let StatsQueryError: abstract new (...args: never[]) => Error;

beforeAll(async () => {
  // Imported only now, so that chDB starts with the TZ set above.
  const { startTestEesee } = await import('../support/test-eesee.js');
  const engine = await import('../../src/analytics/index.js');
  runStatsQuery = engine.runStatsQuery as unknown as RunStatsQuery;
  StatsQueryError = engine.StatsQueryError as unknown as typeof StatsQueryError;
  eesee = await startTestEesee();
  if (MODE === 'events') {
    await eesee.events.insertJsonEachRow('events', toNdjson(DATA.rows));
    return;
  }
  // Through the index, with ranges cutting visits everywhere: half of the visits indexed whole in one run; a quarter
  // indexed with their first event, then whole in a second run (states replaced: rows that cancel); a quarter indexed
  // with their first event only, their other events inserted after the watermark (read from the events).
  const { refreshVisitIndex } = await import('../../src/analytics/visit-index.js');
  const seen = new Set<string>();
  const batch = DATA.rows.map((r) => {
    const firstOfVisit = !seen.has(r.session_id);
    seen.add(r.session_id);
    const quarter = Number(BigInt(r.session_id) % 4n);
    return firstOfVisit || quarter < 2 ? 0 : quarter === 2 ? 1 : 2;
  });
  for (const b of [0, 1, 2]) {
    await eesee.events.insertJsonEachRow('events', toNdjson(DATA.rows.filter((_, i) => batch[i] === b)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The first run in slices of event time (a few hours each), as over a store with history: visits cut by slices.
    if (b < 2) await refreshVisitIndex(eesee.events, { visibilityMarginMs: 0, sliceRows: b === 0 ? 300 : undefined });
  }
});
afterAll(async () => {
  await eesee?.stop();
});

const engineRun = (fx: SiteFixture, request: StatsRequest) =>
  runStatsQuery(eesee.events, fx.site, { site_id: fx.site.id, ...request }, { now: fx.now, visitIndex: MODE === 'index' });
const oracleRun = (fx: SiteFixture, request: StatsRequest) => runOracle(DATA.rows, fx.site, { site_id: fx.site.id, ...request }, fx.now);

// ---------------------------------------------------------------------------------------------------------------
// Comparing an engine answer with the oracle's

type Mode = 'strict-time' | 'lenient-time' | 'breakdown';

const fmtDims = (dims: readonly (string | number)[]) => (dims.length === 0 ? '(total)' : dims.map((d) => JSON.stringify(d)).join(' × '));
const keyOf = (dims: readonly (string | number)[]) => JSON.stringify(dims.map(String));

/** A problem with one value, or null. Counts are exact; other metrics must be rounded as stated and within half a unit of the exact value. */
function metricProblem(metric: Metric, got: unknown, raw: number): string | null {
  if (typeof got !== 'number' || !Number.isFinite(got)) return `${metric}: engine ${JSON.stringify(got)}, expected ${raw}`;
  if (COUNT_METRICS.has(metric)) return got === raw ? null : `${metric}: engine ${got}, oracle ${raw}`;
  const d = METRIC_DECIMALS[metric];
  const scaled = got * 10 ** d;
  if (Math.abs(scaled - Math.round(scaled)) > 1e-6) return `${metric}: engine ${got} is not rounded to ${d} decimals (oracle ${raw})`;
  return Math.abs(got - raw) <= 0.5 * 10 ** -d + 1e-9 ? null : `${metric}: engine ${got}, oracle ${+raw.toFixed(6)}`;
}

function changeProblem(metric: Metric, got: unknown, o: NonNullable<OracleRow['comparison']>, i: number): string | null {
  const candidates: (number | null)[] = [o.change[i] ?? null, o.changeFromRaw[i] ?? null];
  // bounce_rate against a period without visits: the difference in points or null are both read from the contract.
  if (metric === 'bounce_rate' && o.metrics[i] === 0) candidates.push(null);
  if (got === null) return candidates.includes(null) ? null : `change ${metric}: engine null, oracle ${candidates.join(' or ')}`;
  if (typeof got !== 'number') return `change ${metric}: engine ${JSON.stringify(got)}`;
  if (candidates.some((c) => c !== null && Math.abs(c - got) <= 0.05 + 1e-9)) return null;
  return `change ${metric}: engine ${got}, oracle ${candidates.map(String).join(' or ')} (current ${o.raw[i]} vs previous)`;
}

function rowProblems(q: OracleAnswer['query'], got: EngineRow, want: OracleRow): string[] {
  const out: string[] = [];
  const where = fmtDims(want.dimensions);
  if (!Array.isArray(got.metrics) || got.metrics.length !== q.metrics.length) return [`${where}: metrics ${JSON.stringify(got.metrics)}`];
  q.metrics.forEach((m, i) => {
    const p = metricProblem(m, got.metrics[i], want.raw[i]!);
    if (p) out.push(`${where} ${p}`);
  });
  if (q.compare && want.comparison) {
    if (!got.comparison) return [...out, `${where}: no comparison`];
    q.metrics.forEach((m, i) => {
      const p = metricProblem(m, got.comparison!.metrics[i], want.comparison!.raw[i]!);
      if (p) out.push(`${where} previous ${p}`);
      const c = changeProblem(m, got.comparison!.change[i], want.comparison!, i);
      if (c) out.push(`${where} ${c}`);
    });
  }
  return out;
}

const isZeroRow = (r: OracleRow) => r.raw.every((x) => x === 0);

/** Everything wrong with the engine's answer, as readable lines (empty when it agrees with the oracle). */
function problemsOf(request: StatsRequest, got: EngineAnswer, want: OracleAnswer, mode: Mode): string[] {
  const q = want.query;
  const out: string[] = [];
  if (!got || !Array.isArray(got.results)) return [`no results array: ${JSON.stringify(got)?.slice(0, 200)}`];
  for (const r of got.results) {
    if (!Array.isArray(r.dimensions) || r.dimensions.length !== q.dimensions.length) out.push(`row dimensions ${JSON.stringify(r.dimensions)} for ${JSON.stringify(q.dimensions)}`);
  }
  if (out.length > 0) return out;

  const timeIndex = q.dimensions.findIndex((d) => d === 'time' || d.startsWith('time:'));
  const orderBy = q.orderBy.length > 0 ? q.orderBy : timeIndex >= 0 ? [] : [[q.metrics[0]!, 'desc'] as [string, 'asc' | 'desc']];
  const pos = new Map((want.timeLabels ?? []).map((l, i) => [l, i]));
  const wantByKey = new Map(want.allRows.map((r) => [keyOf(r.dimensions), r]));

  if (mode === 'strict-time') {
    // Every bucket, in time order, each with its own label.
    const gotLabels = got.results.map((r) => String(r.dimensions[timeIndex]));
    const wantLabels = want.rows.map((r) => r.dimensions[timeIndex]!);
    if (JSON.stringify(gotLabels) !== JSON.stringify(wantLabels)) {
      out.push(`buckets differ:\n  engine ${JSON.stringify(gotLabels)}\n  oracle ${JSON.stringify(wantLabels)}`);
      // Still compare the buckets both have, to say what else is wrong.
    }
    for (const r of got.results) {
      const w = wantByKey.get(keyOf(r.dimensions));
      if (w) out.push(...rowProblems(q, r, w));
    }
    if (got.meta?.total_rows !== want.totalRows) out.push(`total_rows: engine ${got.meta?.total_rows}, oracle ${want.totalRows}`);
    if (got.meta?.time_labels !== undefined && JSON.stringify(got.meta.time_labels) !== JSON.stringify(want.timeLabels)) {
      out.push(`meta.time_labels: engine ${JSON.stringify(got.meta.time_labels)}, oracle ${JSON.stringify(want.timeLabels)}`);
    }
  } else if (mode === 'lenient-time') {
    // Realtime minutes: whether the bucket of "now" itself is listed is not pinned down; every bucket with data must match.
    for (const w of want.allRows) {
      const g = got.results.find((r) => keyOf(r.dimensions) === keyOf(w.dimensions));
      if (!g) {
        if (!isZeroRow(w)) out.push(`${fmtDims(w.dimensions)}: missing (oracle ${JSON.stringify(w.metrics)})`);
      } else out.push(...rowProblems(q, g, w));
    }
    for (const r of got.results) {
      if (!wantByKey.has(keyOf(r.dimensions)) && r.metrics.some((x) => x !== 0)) out.push(`${fmtDims(r.dimensions)}: unexpected bucket ${JSON.stringify(r.metrics)}`);
    }
  } else {
    const windowed = request.limit !== undefined || request.offset !== undefined || want.totalRows > q.limit;
    const matched: (OracleRow | undefined)[] = got.results.map((r) => wantByKey.get(keyOf(r.dimensions)));
    got.results.forEach((r, i) => {
      const w = matched[i];
      if (w) out.push(...rowProblems(q, r, w));
      else if (r.metrics.some((x) => x !== 0)) out.push(`${fmtDims(r.dimensions)}: not in the oracle's answer, engine ${JSON.stringify(r.metrics)}`);
    });
    // Order: each row sorts no later than the next (ties may come either way).
    for (let i = 1; i < matched.length; i++) {
      const a = matched[i - 1];
      const b = matched[i];
      if (a && b && compareRows(a, b, q, orderBy, timeIndex, pos) > 0) {
        out.push(`order: ${fmtDims(a.dimensions)} ${JSON.stringify(a.metrics)} before ${fmtDims(b.dimensions)} ${JSON.stringify(b.metrics)} breaks ${JSON.stringify(orderBy)}`);
      }
    }
    if (windowed) {
      // The page asked for: same length, and at each position a row with the oracle's sort key there.
      if (got.results.length !== want.rows.length) out.push(`rows: engine ${got.results.length}, oracle ${want.rows.length}`);
      want.rows.forEach((w, i) => {
        const m = matched[i];
        if (m && compareRows(m, w, q, orderBy, timeIndex, pos) !== 0) out.push(`position ${q.offset + i}: engine ${fmtDims(m.dimensions)} ${JSON.stringify(m.metrics)}, oracle ${fmtDims(w.dimensions)} ${JSON.stringify(w.metrics)}`);
      });
      if (got.meta?.total_rows !== want.totalRows) out.push(`total_rows: engine ${got.meta?.total_rows}, oracle ${want.totalRows}`);
    } else {
      // All rows: every row with data present; rows whose metrics are all 0 may be left out.
      const gotKeys = new Set(got.results.map((r) => keyOf(r.dimensions)));
      for (const w of want.allRows) {
        if (!gotKeys.has(keyOf(w.dimensions)) && !isZeroRow(w)) out.push(`${fmtDims(w.dimensions)}: missing, oracle ${JSON.stringify(w.metrics)}`);
      }
      const total = got.meta?.total_rows;
      const significant = want.allRows.filter((r) => !isZeroRow(r)).length;
      if (typeof total !== 'number' || total < significant || total > want.totalRows || total !== got.results.length) {
        out.push(`total_rows: engine ${total} for ${got.results.length} rows, oracle ${significant}..${want.totalRows}`);
      }
    }
  }

  if (q.metrics.includes('revenue')) {
    // A row summing several currencies must say so; several currencies only across rows may; one currency must not.
    const warned = (got.meta?.warnings ?? []).some((w) => /currenc/i.test(w));
    const mixedRow = want.rows.find((r) => r.currencies.length > 1);
    if (mixedRow && !warned) out.push(`currency warning missing: row ${fmtDims(mixedRow.dimensions)} sums ${mixedRow.currencies.join(' + ')}; warnings ${JSON.stringify(got.meta?.warnings)}`);
    if (warned && want.currencies.length <= 1) out.push(`currency warning with currencies ${JSON.stringify(want.currencies)}: ${JSON.stringify(got.meta?.warnings)}`);
  }
  return out;
}

async function check(fx: SiteFixture, request: StatsRequest, mode: Mode): Promise<{ got: EngineAnswer; want: OracleAnswer }> {
  const want = oracleRun(fx, request);
  const got = await engineRun(fx, request);
  const problems = problemsOf(request, got, want, mode);
  const shown = problems.slice(0, 40);
  if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
  expect(shown, `${fx.site.timezone} ${JSON.stringify(request)}`).toEqual([]);
  return { got, want };
}

// ---------------------------------------------------------------------------------------------------------------
// The cases

const BASE_METRICS: Metric[] = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration', 'events', 'time_on_page', 'scroll_depth', 'revenue'];
const PAGE_METRICS: Metric[] = ['pageviews', 'visitors', 'visits', 'views_per_visit', 'bounce_rate', 'visit_duration', 'time_on_page', 'scroll_depth'];
const EVENT_METRICS: Metric[] = ['events', 'visitors', 'visits', 'revenue'];

/** The main range of each site: two weeks with the fall-back day (New York) / with the 18:30 UTC probes (Kolkata). */
const MAIN_RANGE = new Map<SiteFixture, [string, string]>([
  [NY, ['2026-10-25', '2026-11-07']],
  [KOLKATA, ['2026-06-08', '2026-06-21']],
]);

interface DimCase { label: string; dimensions: string[]; range?: [string, string]; metrics: Metric[]; mode: Mode }

function dimCases(fx: SiteFixture): DimCase[] {
  const ny = fx === NY;
  const base = (label: string, dimensions: string[], metrics = BASE_METRICS): DimCase => ({ label, dimensions, metrics, mode: 'breakdown' });
  const time = (dim: string, range: [string, string]): DimCase => ({ label: `${dim} ${range.join('..')}`, dimensions: [dim], range, metrics: BASE_METRICS, mode: 'strict-time' });
  return [
    base('total', []),
    // The fall-back day (25 hours) in New York; an ordinary day with the midnight probes in Kolkata.
    time('time:hour', ny ? ['2026-11-01', '2026-11-01'] : ['2026-06-16', '2026-06-16']),
    // Across the spring-forward switch in New York.
    time('time:day', ny ? ['2026-03-01', '2026-03-14'] : ['2026-06-10', '2026-06-20']),
    // Starting on a Wednesday: the first week is labelled by its Monday.
    time('time:week', ny ? ['2026-10-21', '2026-11-12'] : ['2026-06-03', '2026-07-03']),
    // Partial first month; Kolkata's includes a year of empty months.
    time('time:month', ny ? ['2026-02-15', '2026-11-12'] : ['2025-06-01', '2026-07-03']),
    base('page', ['page'], PAGE_METRICS),
    base('entry_page', ['entry_page']),
    base('exit_page', ['exit_page']),
    base('source', ['source']),
    base('channel', ['channel']),
    base('utm_source', ['utm_source']),
    base('country', ['country']),
    base('city', ['city']),
    base('browser', ['browser']),
    base('device', ['device']),
    base('event', ['event'], EVENT_METRICS),
    base('event:props:plan', ['event:props:plan'], EVENT_METRICS),
    base('event:props (property names)', ['event:props'], ['visitors', 'events']),
    base('hostname', ['hostname']),
  ];
}

interface FilterCase { label: string; filters?: unknown; kind: 'none' | 'visit' | 'event' | 'custom-event' | 'mixed' }

const FILTER_CASES: FilterCase[] = [
  { label: 'no filter', kind: 'none' },
  { label: 'is country', filters: [['is', 'country', ['US', 'IN']]], kind: 'visit' },
  { label: 'contains utm_source (mixed case)', filters: [['contains', 'utm_source', ['NEWS']]], kind: 'visit' },
  { label: 'is_not os', filters: [['is_not', 'os', ['Windows']]], kind: 'visit' },
  { label: 'matches_not city', filters: [['matches_not', 'city', ['^S']]], kind: 'visit' },
  { label: 'is entry_page', filters: [['is', 'entry_page', ['/']]], kind: 'visit' },
  { label: 'contains page', filters: [['contains', 'page', ['/blog']]], kind: 'event' },
  { label: 'matches page', filters: ['matches', 'page', ['^/docs(/|$)']], kind: 'event' },
  { label: 'contains_not page (per-event negation)', filters: [['contains_not', 'page', ['/blog']]], kind: 'event' },
  { label: 'is hostname', filters: [['is', 'hostname', ['docs.example.com', 'blog.example.in']]], kind: 'event' },
  { label: 'is event', filters: [['is', 'event', ['Signup', 'Purchase']]], kind: 'custom-event' },
  { label: 'is event:props:plan', filters: [['is', 'event:props:plan', ['pro']]], kind: 'custom-event' },
  // Negations hold per event: events without a name or without the key pass them (pageviews included).
  { label: 'is_not event (per-event negation)', filters: [['is_not', 'event', ['Search', 'Video Autoplay']]], kind: 'event' },
  { label: 'contains_not event:props:plan (per-event negation)', filters: [['contains_not', 'event:props:plan', ['PRO']]], kind: 'event' },
  { label: 'and(device, page)', filters: ['and', [['is', 'device', ['desktop', 'laptop']], ['contains', 'page', ['/pricing']]]], kind: 'mixed' },
  { label: 'list [is_not device, contains page]', filters: [['is_not', 'device', ['mobile']], ['contains', 'page', ['PRIC']]], kind: 'mixed' },
  { label: 'or(source, channel)', filters: ['or', [['is', 'source', ['Google']], ['is', 'channel', ['Direct']]]], kind: 'visit' },
  { label: 'or(country, page)', filters: ['or', [['is', 'country', ['DE', 'SG']], ['contains', 'page', ['/signup']]]], kind: 'mixed' },
  { label: 'not(browser)', filters: ['not', ['is', 'browser', ['Chrome']]], kind: 'visit' },
];

for (const fx of FIXTURES) {
  describe(`${fx.site.timezone}: every metric × dimension × filter`, () => {
    const cases = dimCases(fx).flatMap((d) =>
      FILTER_CASES
        // A page breakdown of custom events alone has no pageviews to group: left out.
        .filter((f) => !(d.dimensions[0] === 'page' && f.kind === 'custom-event'))
        .map((f) => ({ name: `${d.label} | ${f.label}`, d, f })),
    );
    it.each(cases)('$name', async ({ d, f }) => {
      await check(fx, { date_range: d.range ?? MAIN_RANGE.get(fx)!, metrics: d.metrics, dimensions: d.dimensions, filters: f.filters }, d.mode);
    });
  });

  describe(`${fx.site.timezone}: conversion rate`, () => {
    const goals: [string, FilterExpr][] = [
      ['event Signup', ['is', 'event', ['Signup']]],
      ['event contains "sign"', ['contains', 'event', ['sign']]],
      ['page /pricing', ['is', 'page', ['/pricing']]],
    ];
    const bases: [string, FilterExpr[]][] = [['', []], [' + device mobile', [['is', 'device', ['mobile']]]]];
    const dims: [string, string[], Mode][] = [
      ['total', [], 'breakdown'],
      ['time:day', ['time:day'], 'strict-time'],
      ['source', ['source'], 'breakdown'],
      ['country', ['country'], 'breakdown'],
      ['device', ['device'], 'breakdown'],
      ['entry_page', ['entry_page'], 'breakdown'],
    ];
    const cases = goals.flatMap(([g, goal]) => bases.flatMap(([b, base]) => dims.map(([d, dimensions, mode]) => ({ name: `${g}${b} | ${d}`, goal, base, dimensions, mode }))));
    it.each(cases)('$name', async ({ goal, base, dimensions, mode }) => {
      await check(fx, { date_range: MAIN_RANGE.get(fx)!, metrics: ['conversion_rate', 'visitors', 'events'], dimensions, filters: [...base, goal] }, mode);
    });
  });

  describe(`${fx.site.timezone}: named date ranges`, () => {
    const ranges = ['day', 'yesterday', '7d', '30d', 'month', 'last_month', '12mo', 'year', 'all', 'realtime'] as const;
    const cases = [
      ...ranges.flatMap((r) => [{ name: `${r} | total`, r, dims: [] as string[] }, { name: `${r} | time`, r, dims: ['time'] }]),
      // Hours of the last 30 minutes: local hours (Kolkata's start at :30 UTC), not steps from 30 minutes ago.
      { name: 'realtime | time:hour', r: 'realtime' as const, dims: ['time:hour'] },
    ];
    it.each(cases)('$name', async ({ r, dims }) => {
      const mode: Mode = dims.length === 0 ? 'breakdown' : r === 'realtime' ? 'lenient-time' : 'strict-time';
      const { got, want } = await check(fx, { date_range: r, metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'], dimensions: dims }, mode);
      if (r !== 'realtime') {
        // The normalised query carries the resolved local dates.
        expect((got.query as { date_range?: unknown }).date_range).toEqual([want.range.firstDay, want.range.lastDay]);
      }
    });
  });

  describe(`${fx.site.timezone}: comparisons`, () => {
    const range: [string, string] = fx === NY ? ['2026-11-02', '2026-11-08'] : ['2026-06-15', '2026-06-21'];
    const metrics: Metric[] = ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration', 'revenue'];
    const cases = (['previous_period', 'year_over_year'] as const).flatMap((compare) =>
      [
        { dims: [] as string[], mode: 'breakdown' as Mode, metrics },
        { dims: ['source'], mode: 'breakdown' as Mode, metrics },
        { dims: ['time:day'], mode: 'strict-time' as Mode, metrics },
        { dims: ['page'], mode: 'breakdown' as Mode, metrics: metrics.filter((m) => m !== 'revenue') },
      ].flatMap((c) =>
        [undefined, [['contains', 'page', ['/blog']]]].map((filters) => ({ name: `${compare} | ${c.dims.join(',') || 'total'}${filters ? ' | contains page' : ''}`, compare, filters, ...c })),
      ),
    );
    it.each(cases)('$name', async ({ compare, filters, dims, mode, metrics }) => {
      await check(fx, { date_range: range, metrics, dimensions: dims, filters, compare }, mode);
    });
    it('previous_period of "month" (this month so far)', async () => {
      await check(fx, { date_range: 'month', metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate'], compare: 'previous_period' }, 'breakdown');
    });
  });

  describe(`${fx.site.timezone}: order, limit, offset`, () => {
    const range = MAIN_RANGE.get(fx)!;
    const cases: { name: string; request: StatsRequest; mode: Mode }[] = [
      { name: 'page by pageviews asc, limit 5 offset 2', request: { date_range: range, metrics: ['pageviews', 'visitors'], dimensions: ['page'], order_by: [['pageviews', 'asc']], limit: 5, offset: 2 }, mode: 'breakdown' },
      { name: 'source by bounce_rate desc then visits desc, limit 3', request: { date_range: range, metrics: ['visits', 'bounce_rate'], dimensions: ['source'], order_by: [['bounce_rate', 'desc'], ['visits', 'desc']], limit: 3 }, mode: 'breakdown' },
      { name: 'city, limit 2', request: { date_range: range, metrics: ['visitors'], dimensions: ['city'], limit: 2 }, mode: 'breakdown' },
      { name: 'offset past the end', request: { date_range: range, metrics: ['visitors'], dimensions: ['browser'], offset: 500 }, mode: 'breakdown' },
      { name: 'time:day ordered by a metric still runs in time order', request: { date_range: range, metrics: ['pageviews'], dimensions: ['time:day'], order_by: [['pageviews', 'desc']] }, mode: 'strict-time' },
      { name: 'two visit dimensions (source × device)', request: { date_range: range, metrics: ['visitors', 'visits', 'bounce_rate'], dimensions: ['source', 'device'] }, mode: 'breakdown' },
    ];
    it.each(cases)('$name', async ({ request, mode }) => {
      await check(fx, request, mode);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Time zone edges, with the expected numbers written out by hand

const sumOf = (rows: EngineRow[], i: number) => rows.reduce((s, r) => s + (r.metrics[i] ?? 0), 0);
const byLabel = (rows: EngineRow[]) => Object.fromEntries(rows.map((r) => [String(r.dimensions[0]), r.metrics[0]]));

describe('DST in America/New_York', () => {
  it('2026-03-08 has 23 hourly buckets; hours add up to the day', async () => {
    const day: [string, string] = ['2026-03-08', '2026-03-08'];
    const hours = await engineRun(NY, { date_range: day, metrics: ['pageviews', 'visits', 'events'], dimensions: ['time:hour'] });
    const daily = await engineRun(NY, { date_range: day, metrics: ['pageviews', 'visits', 'events'], dimensions: ['time:day'] });
    expect(hours.results).toHaveLength(23);
    expect(hours.results.map((r) => r.dimensions[0]).slice(0, 3)).toEqual(['2026-03-08T00:00:00-05:00', '2026-03-08T01:00:00-05:00', '2026-03-08T03:00:00-04:00']);
    expect(daily.results).toHaveLength(1);
    for (const i of [0, 1, 2]) expect(sumOf(hours.results, i)).toBe(daily.results[0]!.metrics[i]);
    const want = oracleRun(NY, { date_range: day, metrics: ['pageviews'] });
    expect(daily.results[0]!.metrics[0]).toBe(want.rows[0]!.metrics[0]);
  });

  it('2026-11-01 has 25 hourly buckets, both 01:00 hours labelled apart; hours add up to the day', async () => {
    const day: [string, string] = ['2026-11-01', '2026-11-01'];
    const hours = await engineRun(NY, { date_range: day, metrics: ['pageviews', 'visits', 'events'], dimensions: ['time:hour'] });
    const daily = await engineRun(NY, { date_range: day, metrics: ['pageviews', 'visits', 'events'], dimensions: ['time:day'] });
    expect(hours.results).toHaveLength(25);
    expect(hours.results.map((r) => r.dimensions[0]).slice(0, 4)).toEqual(['2026-11-01T00:00:00-04:00', '2026-11-01T01:00:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-01T02:00:00-05:00']);
    for (const i of [0, 1, 2]) expect(sumOf(hours.results, i)).toBe(daily.results[0]!.metrics[i]);
  });

  it('the probe pageviews land in the right hours and days', async () => {
    const probe = [['is', 'page', ['/dst-probe']]];
    const spring = byLabel((await engineRun(NY, { date_range: ['2026-03-08', '2026-03-08'], metrics: ['pageviews'], dimensions: ['time:hour'], filters: probe })).results);
    expect(spring['2026-03-08T00:00:00-05:00']).toBe(1); // 05:00:00.000Z
    expect(spring['2026-03-08T01:00:00-05:00']).toBe(1); // 06:59:59.999Z
    expect(spring['2026-03-08T03:00:00-04:00']).toBe(1); // 07:00:00.000Z
    const fall = byLabel((await engineRun(NY, { date_range: ['2026-11-01', '2026-11-01'], metrics: ['pageviews'], dimensions: ['time:hour'], filters: probe })).results);
    expect(fall['2026-11-01T00:00:00-04:00']).toBe(1);
    expect(fall['2026-11-01T01:00:00-04:00']).toBe(1); // 05:30Z
    expect(fall['2026-11-01T01:00:00-05:00']).toBe(1); // 06:30Z
    expect(fall['2026-11-01T23:00:00-05:00']).toBe(1); // 2026-11-02 04:59:59.999Z
    const days = byLabel((await engineRun(NY, { date_range: ['2026-03-07', '2026-03-08'], metrics: ['pageviews'], dimensions: ['time:day'], filters: probe })).results);
    expect(days).toEqual({ '2026-03-07': 1, '2026-03-08': 3 });
    const fallDays = byLabel((await engineRun(NY, { date_range: ['2026-10-31', '2026-11-02'], metrics: ['pageviews'], dimensions: ['time:day'], filters: probe })).results);
    expect(fallDays).toEqual({ '2026-10-31': 0, '2026-11-01': 4, '2026-11-02': 0 });
  });

  it('a visit crossing midnight counts on the day it starts; its pageviews on their own days', async () => {
    // The planted visit: /blog at 23:50 EDT on Oct 31, /pricing at 00:10 on Nov 1.
    const blogThenPricing = ['and', [['is', 'entry_page', ['/blog']], ['is', 'city', ['New York']], ['is', 'browser', ['Firefox']], ['is', 'os', ['Linux']]]];
    const res = await engineRun(NY, { date_range: ['2026-10-31', '2026-11-01'], metrics: ['visits', 'pageviews'], dimensions: ['time:day'], filters: blogThenPricing });
    const want = oracleRun(NY, { date_range: ['2026-10-31', '2026-11-01'], metrics: ['visits', 'pageviews'], dimensions: ['time:day'], filters: blogThenPricing });
    expect(res.results.map((r) => [r.dimensions[0], ...r.metrics])).toEqual(want.rows.map((r) => [r.dimensions[0], ...r.metrics]));
  });
});

describe('Asia/Kolkata (UTC+05:30)', () => {
  it('days begin at 18:30 UTC', async () => {
    const probe = [['is', 'page', ['/boundary-probe']]];
    const days = byLabel((await engineRun(KOLKATA, { date_range: ['2026-06-15', '2026-06-17'], metrics: ['pageviews'], dimensions: ['time:day'], filters: probe })).results);
    // 18:29:59.999Z on the 15th is 23:59:59.999 IST; 18:30Z is midnight of the 16th; 18:29Z on the 16th is 23:59 IST.
    expect(days).toEqual({ '2026-06-15': 1, '2026-06-16': 2, '2026-06-17': 0 });
    const one = await engineRun(KOLKATA, { date_range: ['2026-06-16', '2026-06-16'], metrics: ['pageviews'], filters: probe });
    expect(one.results.map((r) => r.metrics[0])).toEqual([2]);
  });

  it('hour buckets carry +05:30', async () => {
    const res = await engineRun(KOLKATA, { date_range: ['2026-06-16', '2026-06-16'], metrics: ['pageviews'], dimensions: ['time:hour'], filters: [['is', 'page', ['/boundary-probe']]] });
    expect(res.results).toHaveLength(24);
    expect(res.results[0]!.dimensions[0]).toBe('2026-06-16T00:00:00+05:30');
    expect(byLabel(res.results)).toMatchObject({ '2026-06-16T00:00:00+05:30': 1, '2026-06-16T23:00:00+05:30': 1 });
  });
});

describe('bad requests throw StatsQueryError', () => {
  const range: [string, string] = ['2026-10-25', '2026-11-07'];
  const cases: [string, unknown][] = [
    ['unknown metric', { date_range: range, metrics: ['visitors', 'bounces'] }],
    ['no metrics', { date_range: range, metrics: [] }],
    ['unknown dimension', { date_range: range, metrics: ['visitors'], dimensions: ['planet'] }],
    ['props dimension without a key', { date_range: range, metrics: ['visitors'], dimensions: ['event:props:'] }],
    ['property names with a visit metric', { date_range: range, metrics: ['visitors', 'visits'], dimensions: ['event:props'] }],
    ['property names with another dimension', { date_range: range, metrics: ['visitors'], dimensions: ['event:props', 'country'] }],
    ['a filter on property names', { date_range: range, metrics: ['visitors'], filters: [['is', 'event:props', ['plan']]] }],
    ['unknown named range', { date_range: '8d', metrics: ['visitors'] }],
    ['impossible date', { date_range: ['2026-02-30', '2026-03-01'], metrics: ['visitors'] }],
    ['range ending before it starts', { date_range: ['2026-03-05', '2026-03-01'], metrics: ['visitors'] }],
    ['not a date', { date_range: ['yesterday', '2026-03-01'], metrics: ['visitors'] }],
    ['conversion_rate without a goal', { date_range: range, metrics: ['conversion_rate'] }],
    ['conversion_rate with only a visit filter', { date_range: range, metrics: ['conversion_rate'], filters: [['is', 'country', ['US']]] }],
    ['unknown filter operator', { date_range: range, metrics: ['visitors'], filters: [['like', 'page', ['/']]] }],
    ['filter on an unknown dimension', { date_range: range, metrics: ['visitors'], filters: [['is', 'planet', ['Mars']]] }],
    ['limit above 10,000', { date_range: range, metrics: ['visitors'], dimensions: ['page'], limit: 10_001 }],
    ['negative offset', { date_range: range, metrics: ['visitors'], dimensions: ['page'], offset: -1 }],
    ['unknown comparison', { date_range: range, metrics: ['visitors'], compare: 'last_decade' }],
  ];
  it.each(cases)('%s', async (_, request) => {
    expect(() => runOracle(DATA.rows, NY.site, request, NY.now)).toThrow(OracleRequestError);
    await expect(runStatsQuery(eesee.events, NY.site, { site_id: NY.site.id, ...(request as object) }, { now: NY.now })).rejects.toBeInstanceOf(StatsQueryError);
  });
});

describe('the data set in the store (precondition)', () => {
  it('every generated row is stored, per site', async () => {
    const rows = await eesee.events.query<{ site_id: number; n: string }>('SELECT site_id, count() AS n FROM events GROUP BY site_id ORDER BY site_id');
    expect(rows.map((r) => [Number(r.site_id), Number(r.n)])).toEqual(FIXTURES.map((fx) => [fx.site.id, DATA.bySite.get(fx.site.id)!.length]));
    // The engine's process runs in another zone than both sites (see the top of this file).
    const [zone] = await eesee.events.query<{ tz: string }>('SELECT timezone() AS tz');
    expect(zone!.tz).toBe('Australia/Lord_Howe');
    const [big] = await eesee.events.query<{ v: string }>('SELECT toString(max(visitor_id)) AS v FROM events');
    expect(big!.v).toBe(DATA.rows.map((r) => BigInt(r.visitor_id)).reduce((a, b) => (a > b ? a : b)).toString());
  });
});
