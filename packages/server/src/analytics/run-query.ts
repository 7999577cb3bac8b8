// Runs a Stats query: parse → resolve the range → plan → SQL → run → shape rows (zero-filled time, comparison, order, paging).
import type { EventStore } from '../stores/events/event-store.js';
import { EventStoreError } from '../stores/events/store-error.js';
import { dimensionKind, METRICS, type Metric, type TimeDimension } from './catalog.js';
import { comparisonRange, resolveDateRange, type ResolvedRange } from './date-range.js';
import {
  canFoldVisitors,
  canUseVisitIndex,
  EVENT_AGGREGATES,
  eventLevelSql,
  FOLDABLE_AGGREGATES,
  indexedVisitSql,
  prefersVisitIndex,
  scrollDepthSql,
  visitLevelSql,
  type BuiltSql,
  type EventAggregate,
  type SqlPlan,
} from './build-sql.js';
import { readSiteVisitIndex, type SiteVisitIndex } from './visit-index.js';
import { goalOf, parseStatsQuery, StatsQueryError, withoutGoal, type StatsQuery } from './parse-query.js';
import { bucketsOf, granularityOf, type Bucket } from './time-buckets.js';
import { localDate } from './zoned-time.js';

export interface StatsSite {
  id: number;
  timezone: string;
}

export interface StatsRow {
  dimensions: (string | number)[];
  metrics: number[];
  comparison?: { metrics: number[]; change: (number | null)[] };
}

export interface StatsResponse {
  results: StatsRow[];
  query: Record<string, unknown>;
  meta: { warnings: string[]; total_rows: number; time_labels?: string[]; comparison_date_range?: [string, string] };
}

type Raw = Record<string, string | number>;

/** Aggregates of one result row, keyed by the row's dimension values. */
interface RowData {
  dims: string[];
  agg: Record<string, number>;
}

const num = (v: unknown) => (v === undefined || v === null ? 0 : Number(v));
const round = (v: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};

async function run(events: EventStore, built: BuiltSql): Promise<Raw[]> {
  try {
    return await events.query<Raw>(built.sql, built.params.asQueryParams);
  } catch (err) {
    // A regular expression ClickHouse cannot compile is the caller's input, not our failure.
    if (err instanceof EventStoreError && /REGEXP|re2/i.test(`${err.type} ${err.message}`)) {
      throw new StatsQueryError(`filters: invalid regular expression (${err.message.slice(0, 200)})`);
    }
    throw err;
  }
}

function keyOf(raw: Raw, dimCount: number, hasTime: boolean): string[] {
  const dims = Array.from({ length: dimCount }, (_, i) => String(raw[`d${i}`] ?? ''));
  return hasTime ? [String(raw.d_time), ...dims] : dims;
}

/** The event-level aggregates each metric is derived from (see metricValue). */
const AGGREGATES_OF: Record<Metric, readonly EventAggregate[]> = {
  visitors: ['visitors'],
  pageviews: ['pageviews'],
  events: ['events'],
  time_on_page: ['engaged_ms', 'pageviews'],
  revenue: ['revenue', 'currencies'],
  conversion_rate: ['visitors'],
  visits: [],
  views_per_visit: [],
  bounce_rate: [],
  visit_duration: [],
  scroll_depth: [],
};

/** Runs the SQL a set of metrics needs over one range and merges the aggregates per row. */
async function aggregate(events: EventStore, q: StatsQuery, plan: SqlPlan, metrics: Metric[], index: SiteVisitIndex | undefined): Promise<Map<string, RowData>> {
  const rows = new Map<string, RowData>();
  const merge = (raws: Raw[], fields: string[], prefix = '') => {
    for (const raw of raws) {
      const dims = keyOf(raw, plan.dimensions.length, plan.time !== undefined);
      const k = JSON.stringify(dims);
      let row = rows.get(k);
      if (!row) rows.set(k, (row = { dims, agg: {} }));
      for (const f of fields) row.agg[prefix + f] = num(raw[f]);
    }
  };
  const needs = (ms: Metric[]) => metrics.some((m) => ms.includes(m));
  const eventAggregates = EVENT_AGGREGATES.filter((a) => metrics.some((m) => AGGREGATES_OF[m].includes(a)));
  const visitMetrics = needs(['visits', 'views_per_visit', 'bounce_rate', 'visit_duration']);
  const indexed = index !== undefined && canUseVisitIndex(plan);
  // The totals of an overview: the visit-level query also yields visitors and pageviews (see canFoldVisitors). Not
  // for breakdowns: counting distinct visitors per value costs the same from the index as from the events (measured).
  const fold = visitMetrics && eventAggregates.length > 0 && eventAggregates.every((a) => FOLDABLE_AGGREGATES.includes(a)) && canFoldVisitors(plan, indexed);
  if (eventAggregates.length > 0 && !fold) merge(await run(events, eventLevelSql(plan, eventAggregates)), eventAggregates);
  if (visitMetrics) {
    const raws = await run(events, indexed ? indexedVisitSql(plan, index, fold) : visitLevelSql(plan, fold));
    merge(raws, ['visits', 'visit_pageviews', 'bounces', 'duration_ms']);
    if (fold) {
      merge(raws, ['pageviews']);
      if (eventAggregates.includes('visitors')) {
        if (raws.some((r) => num(r.mixed_visitors) > 0)) merge(await run(events, eventLevelSql(plan, ['visitors'])), ['visitors']);
        else merge(raws, ['visitors']);
      }
    }
  }
  if (needs(['scroll_depth'])) merge(await run(events, scrollDepthSql(plan)), ['scroll_depth']);
  if (needs(['conversion_rate'])) {
    const goals = goalOf(q.filters)!;
    merge(await run(events, eventLevelSql({ ...plan, filters: withoutGoal(q.filters, goals) }, ['visitors'])), ['visitors'], 'all_');
  }
  return rows;
}

function metricValue(m: Metric, a: Record<string, number>): number {
  const g = (k: string) => a[k] ?? 0;
  const ratio = (x: number, y: number) => (y === 0 ? 0 : x / y);
  let v: number;
  switch (m) {
    case 'visitors':
    case 'pageviews':
    case 'events':
    case 'visits':
    case 'revenue':
    case 'scroll_depth':
      v = g(m);
      break;
    case 'time_on_page':
      v = ratio(g('engaged_ms'), g('pageviews')) / 1000;
      break;
    case 'views_per_visit':
      v = ratio(g('visit_pageviews'), g('visits'));
      break;
    case 'bounce_rate':
      v = ratio(g('bounces'), g('visits')) * 100;
      break;
    case 'visit_duration':
      v = ratio(g('duration_ms'), g('visits')) / 1000;
      break;
    case 'conversion_rate':
      v = ratio(g('visitors'), g('all_visitors')) * 100;
      break;
  }
  return round(v, METRICS[m].decimals);
}

/** Rates over visits: with no visit on one side there is nothing to compare (0 % of no visits is not 0 %). */
const PER_VISIT = new Set<Metric>(['bounce_rate', 'views_per_visit', 'visit_duration']);

function change(m: Metric, now: number, before: number, visits: { now: number; before: number }): number | null {
  if (PER_VISIT.has(m) && (visits.now === 0 || visits.before === 0)) return null;
  if (m === 'bounce_rate') return round(now - before, 1);
  return before === 0 ? null : round(((now - before) / before) * 100, 1);
}

interface Shaped {
  key: string;
  dims: (string | number)[];
  metrics: number[];
  /** Index of the time bucket (for matching comparison rows by position). */
  bucket?: number;
  /** Visits behind the row's per-visit rates (undefined when no visit metric was asked for). */
  visits?: number;
}

async function computeRows(
  events: EventStore,
  q: StatsQuery,
  site: StatsSite,
  range: ResolvedRange,
  index: SiteVisitIndex | undefined,
): Promise<{ rows: Shaped[]; buckets?: Bucket[]; warnings: string[] }> {
  const timeDim = q.dimensions.find((d) => dimensionKind(d) === 'time') as TimeDimension | undefined;
  const otherDims = q.dimensions.filter((d) => dimensionKind(d) !== 'time');
  const time = timeDim ? granularityOf(timeDim, range) : undefined;
  const buckets = time ? bucketsOf(time, range, site.timezone) : undefined;
  const plan: SqlPlan = { siteId: site.id, tz: site.timezone, range, filters: q.filters, dimensions: otherDims, time };
  const data = await aggregate(events, q, plan, q.metrics, index);
  const warnings: string[] = [];
  if (q.metrics.includes('revenue') && [...data.values()].some((r) => (r.agg.currencies ?? 0) > 1)) {
    warnings.push('revenue: amounts in more than one currency were added up without conversion');
  }

  // Zero-fill: every time bucket (for each combination of the other dimensions that occurs).
  if (buckets) {
    const others = new Map<string, string[]>();
    for (const r of data.values()) others.set(JSON.stringify(r.dims.slice(1)), r.dims.slice(1));
    if (others.size === 0) others.set('[]', otherDims.map(() => ''));
    if (otherDims.length === 0 || others.size * buckets.length <= 100_000) {
      for (const rest of others.values()) {
        if (otherDims.length > 0 && rest.length === 0) continue;
        for (const b of buckets) {
          const dims = [b.key, ...rest];
          const k = JSON.stringify(dims);
          if (!data.has(k)) data.set(k, { dims, agg: {} });
        }
      }
    }
  }
  const bucketIndex = new Map(buckets?.map((b, i) => [b.key, i]));
  const rows: Shaped[] = [];
  for (const [key, r] of data) {
    if (buckets && !bucketIndex.has(r.dims[0]!)) continue; // outside the range's buckets (cannot happen for valid data)
    const bucket = buckets ? bucketIndex.get(r.dims[0]!) : undefined;
    const dims: (string | number)[] = buckets ? [buckets[bucket!]!.label, ...r.dims.slice(1)] : r.dims;
    rows.push({ key: buckets ? JSON.stringify(r.dims.slice(1)) : key, dims, metrics: q.metrics.map((m) => metricValue(m, r.agg)), bucket, visits: r.agg.visits });
  }
  return { rows, buckets, warnings };
}

function sortRows(rows: Shaped[], q: StatsQuery, hasTime: boolean): void {
  const order: [number, 'metric' | 'dim', 'asc' | 'desc'][] = [];
  for (const [key, dir] of q.orderBy) {
    const mi = q.metrics.indexOf(key as Metric);
    if (mi >= 0) order.push([mi, 'metric', dir]);
    else order.push([q.dimensions.indexOf(key), 'dim', dir]);
  }
  if (order.length === 0 && q.metrics.length > 0 && !(hasTime && q.dimensions.length === 1)) order.push([0, 'metric', 'desc']);
  rows.sort((a, b) => {
    // Time always sorts ascending first; order_by orders the rows within a bucket.
    if (hasTime && a.bucket !== b.bucket) return a.bucket! - b.bucket!;
    for (const [i, kind, dir] of order) {
      const x = kind === 'metric' ? a.metrics[i]! : a.dims[i]!;
      const y = kind === 'metric' ? b.metrics[i]! : b.dims[i]!;
      if (x !== y) return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1);
    }
    return String(a.dims).localeCompare(String(b.dims));
  });
}

/** The one entry point: a Stats API request for a site → rows, the normalised query and meta. */
export async function runStatsQuery(
  events: EventStore,
  site: StatsSite,
  request: unknown,
  /**
   * Whether visit metrics may come from the visit index: by default where it is faster (see prefersVisitIndex); true
   * wherever it can answer, false never (for tests and benchmarks).
   */
  opts: { now?: Date; visitIndex?: boolean } = {},
): Promise<StatsResponse> {
  const q = parseStatsQuery(request);
  if (q.siteId !== site.id) throw new StatsQueryError(`site_id: ${q.siteId} is not the site this query was authorised for`);
  if (q.metrics.includes('conversion_rate') && q.dimensions.some((d) => ['event', 'prop', 'prop-keys'].includes(dimensionKind(d)!) || d === 'page')) {
    throw new StatsQueryError('metrics: conversion_rate cannot be broken down by page, event or event properties; filter by the goal instead');
  }
  const now = (opts.now ?? new Date()).getTime();
  let firstEventDay: string | undefined;
  if (q.dateRange === 'all') {
    const [row] = await events.query<{ first: string | null; n: string }>(
      'SELECT toUnixTimestamp64Milli(min(ts)) AS first, count() AS n FROM events WHERE site_id = {site:UInt32}',
      { site: site.id },
    );
    if (row && Number(row.n) > 0) firstEventDay = localDate(Number(row.first), site.timezone);
  }
  const range = resolveDateRange(q.dateRange, site.timezone, now, firstEventDay);
  const hasTime = q.dimensions.some((d) => dimensionKind(d) === 'time');
  const cmpRange = q.compare ? comparisonRange(range, q.compare, site.timezone) : undefined;
  // Both periods at once: a ClickHouse server runs them side by side; chDB runs one statement at a time and queues them.
  // The index is read before the queries, so that both periods see the same one (see indexedVisitSql).
  const useIndex = q.metrics.some((m) => METRICS[m].level === 'visit') && (opts.visitIndex ?? prefersVisitIndex(range, q.filters));
  const index = useIndex ? await readSiteVisitIndex(events, site.id) : undefined;
  const [current, compared] = await Promise.all([
    computeRows(events, q, site, range, index),
    cmpRange ? computeRows(events, q, site, cmpRange, index) : undefined,
  ]);
  const warnings = [...current.warnings];
  if (q.dimensions.some((d) => ['event', 'prop', 'prop-keys'].includes(dimensionKind(d)!))) {
    warnings.push('rows of a page, hostname, event or property breakdown may not add up to the total: one visit can contain several values');
  }

  sortRows(current.rows, q, hasTime);
  const explicitLimit = (request as { limit?: unknown }).limit !== undefined;
  const limit = hasTime && !explicitLimit ? Number.MAX_SAFE_INTEGER : q.limit;
  const page = current.rows.slice(q.offset, q.offset + limit);
  const byKey = new Map(compared?.rows.map((r) => [hasTime ? `${r.key}#${r.bucket}` : r.key, r]));
  const results: StatsRow[] = page.map((r) => {
    const row: StatsRow = { dimensions: r.dims, metrics: r.metrics };
    if (compared) {
      const other = byKey.get(hasTime ? `${r.key}#${r.bucket}` : r.key);
      const before = other?.metrics ?? q.metrics.map(() => 0);
      // No comparison row means no data then: there is no change to speak of.
      const visits = { now: r.visits ?? 0, before: other?.visits ?? 0 };
      row.comparison = { metrics: before, change: q.metrics.map((m, i) => (other ? change(m, r.metrics[i]!, before[i]!, visits) : null)) };
    }
    return row;
  });

  return {
    results,
    query: {
      site_id: site.id,
      date_range: range.realtime ? 'realtime' : [range.firstDay, range.lastDay],
      timezone: site.timezone,
      metrics: q.metrics,
      dimensions: q.dimensions,
      filters: (request as { filters?: unknown }).filters ?? [],
      order_by: q.orderBy,
      limit: q.limit,
      offset: q.offset,
      ...(q.compare && { compare: q.compare }),
    },
    meta: {
      warnings,
      total_rows: current.rows.length,
      ...(current.buckets && { time_labels: current.buckets.map((b) => b.label) }),
      ...(cmpRange && !cmpRange.realtime && { comparison_date_range: [cmpRange.firstDay, cmpRange.lastDay] as [string, string] }),
    },
  };
}
