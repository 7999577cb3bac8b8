// The test oracle: METRICS.md computed in plain TypeScript over event rows in memory, sharing no code with src/analytics.
import type { EventRow } from './dataset.js';
import {
  addDays,
  addMonths,
  daysBetween,
  firstOfMonth,
  isoWithOffset,
  isValidDate,
  localDate,
  localHourStart,
  localMidnight,
  minuteStart,
  mondayOf,
} from './local-time.js';

/** A request the contract says must be refused (the engine throws StatsQueryError for these). */
export class OracleRequestError extends Error {}

export const METRICS = [
  'visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration', 'events', 'time_on_page',
  'scroll_depth', 'conversion_rate', 'revenue',
] as const;
export type Metric = (typeof METRICS)[number];

/** Decimals each metric is rounded to; counts are integers. */
export const METRIC_DECIMALS: Record<Metric, number> = {
  visitors: 0, visits: 0, pageviews: 0, views_per_visit: 2, bounce_rate: 1, visit_duration: 0, events: 0,
  time_on_page: 1, scroll_depth: 0, conversion_rate: 2, revenue: 2,
};
/** Exact counts: compared for equality, never with a tolerance. */
export const COUNT_METRICS: ReadonlySet<Metric> = new Set(['visitors', 'visits', 'pageviews', 'events']);

export const VISIT_DIMENSIONS = [
  'source', 'referrer', 'channel', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'country',
  'region', 'city', 'browser', 'browser_version', 'os', 'os_version', 'device', 'screen', 'language',
] as const;
type StampedDimension = (typeof VISIT_DIMENSIONS)[number];
export const TIME_DIMENSIONS = ['time', 'time:minute', 'time:hour', 'time:day', 'time:week', 'time:month'] as const;
const PROPS_PREFIX = 'event:props:';
const PROP_KEYS = 'event:props';

export type Granularity = 'minute' | 'hour' | 'day' | 'week' | 'month';
export type FilterOp = 'is' | 'is_not' | 'contains' | 'contains_not' | 'matches' | 'matches_not';
export type FilterExpr = [FilterOp, string, string[]] | ['and', FilterExpr[]] | ['or', FilterExpr[]] | ['not', FilterExpr];
const FILTER_OPS: readonly string[] = ['is', 'is_not', 'contains', 'contains_not', 'matches', 'matches_not'];

export type NamedRange = 'day' | 'yesterday' | '7d' | '30d' | 'month' | 'last_month' | '12mo' | 'year' | 'all' | 'realtime';
const NAMED_RANGES: readonly string[] = ['day', 'yesterday', '7d', '30d', 'month', 'last_month', '12mo', 'year', 'all', 'realtime'];
export type DateRangeInput = NamedRange | [string, string];
export type CompareMode = 'previous_period' | 'year_over_year';

export interface StatsRequest {
  site_id?: number;
  date_range: DateRangeInput;
  metrics: string[];
  dimensions?: string[];
  filters?: unknown;
  order_by?: [string, 'asc' | 'desc'][];
  limit?: number;
  offset?: number;
  compare?: CompareMode | null;
}

export interface NormalisedQuery {
  dateRange: DateRangeInput;
  metrics: Metric[];
  dimensions: string[];
  filter: FilterExpr | null;
  orderBy: [string, 'asc' | 'desc'][];
  limit: number;
  offset: number;
  compare: CompareMode | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Request validation

const isStringArray = (x: unknown): x is string[] => Array.isArray(x) && x.every((v) => typeof v === 'string');

function isKnownDimension(d: string): boolean {
  return (
    (VISIT_DIMENSIONS as readonly string[]).includes(d) ||
    d === 'entry_page' || d === 'exit_page' || d === 'page' || d === 'hostname' || d === 'event' ||
    (TIME_DIMENSIONS as readonly string[]).includes(d) ||
    (d.startsWith(PROPS_PREFIX) && d.length > PROPS_PREFIX.length) ||
    d === PROP_KEYS
  );
}

const isTimeDimension = (d: string) => (TIME_DIMENSIONS as readonly string[]).includes(d);

function checkFilter(x: unknown, path: string): FilterExpr {
  if (!Array.isArray(x) || typeof x[0] !== 'string') throw new OracleRequestError(`${path}: not a filter expression`);
  const [op, a, b] = x as [string, unknown, unknown];
  if (op === 'and' || op === 'or') {
    if (!Array.isArray(a) || a.length === 0 || x.length !== 2) throw new OracleRequestError(`${path}: ${op} takes a non-empty list`);
    return [op, a.map((f, i) => checkFilter(f, `${path}[1][${i}]`))];
  }
  if (op === 'not') {
    if (x.length !== 2) throw new OracleRequestError(`${path}: not takes one expression`);
    return ['not', checkFilter(a, `${path}[1]`)];
  }
  if (!FILTER_OPS.includes(op)) throw new OracleRequestError(`${path}: unknown operator ${op}`);
  if (typeof a !== 'string' || !isKnownDimension(a) || isTimeDimension(a) || a === PROP_KEYS) throw new OracleRequestError(`${path}: cannot filter on ${String(a)}`);
  if (!isStringArray(b) || b.length === 0 || x.length !== 3) throw new OracleRequestError(`${path}: values must be a non-empty list of strings`);
  if (op.startsWith('matches')) {
    for (const re of b) {
      try {
        new RegExp(re, 'u');
      } catch {
        throw new OracleRequestError(`${path}: bad regular expression ${re}`);
      }
    }
  }
  return [op as FilterOp, a, b];
}

/** `filters` is a list of filters (all must hold) or one expression. */
function normaliseFilters(f: unknown): FilterExpr | null {
  if (f === undefined || f === null) return null;
  if (!Array.isArray(f)) throw new OracleRequestError('filters: must be a list');
  if (f.length === 0) return null;
  if (typeof f[0] === 'string') return checkFilter(f, 'filters');
  const list = f.map((x, i) => checkFilter(x, `filters[${i}]`));
  return list.length === 1 ? list[0]! : ['and', list];
}

/** Top-level conjuncts on `event` or `page` with a positive operator are the goal of conversion_rate. */
export function splitGoal(filter: FilterExpr | null): { goal: FilterExpr[]; base: FilterExpr | null } {
  if (!filter) return { goal: [], base: null };
  const conjuncts = filter[0] === 'and' ? (filter[1] as FilterExpr[]) : [filter];
  const goal: FilterExpr[] = [];
  const rest: FilterExpr[] = [];
  for (const c of conjuncts) {
    const isGoal = (c[0] === 'is' || c[0] === 'contains' || c[0] === 'matches') && (c[1] === 'event' || c[1] === 'page');
    (isGoal ? goal : rest).push(c);
  }
  return { goal, base: rest.length === 0 ? null : rest.length === 1 ? rest[0]! : ['and', rest] };
}

export function normaliseRequest(request: unknown): NormalisedQuery {
  if (typeof request !== 'object' || request === null) throw new OracleRequestError('request: must be an object');
  const r = request as Record<string, unknown>;
  const metrics = r.metrics;
  if (!isStringArray(metrics) || metrics.length === 0) throw new OracleRequestError('metrics: a non-empty list');
  for (const m of metrics) if (!(METRICS as readonly string[]).includes(m)) throw new OracleRequestError(`metrics: unknown metric ${m}`);
  const dimensions = r.dimensions ?? [];
  if (!isStringArray(dimensions)) throw new OracleRequestError('dimensions: a list of strings');
  for (const d of dimensions) if (!isKnownDimension(d)) throw new OracleRequestError(`dimensions: unknown dimension ${d}`);
  if (dimensions.filter(isTimeDimension).length > 1) throw new OracleRequestError('dimensions: at most one time dimension');
  if (dimensions.includes(PROP_KEYS) && (dimensions.length > 1 || (metrics as string[]).some((m) => m !== 'visitors' && m !== 'events'))) {
    throw new OracleRequestError('event:props: alone, with visitors and events only');
  }
  const dateRange = r.date_range;
  if (typeof dateRange === 'string') {
    if (!NAMED_RANGES.includes(dateRange)) throw new OracleRequestError(`date_range: unknown range ${dateRange}`);
  } else if (isStringArray(dateRange) && dateRange.length === 2) {
    const [a, b] = dateRange as [string, string];
    if (!isValidDate(a) || !isValidDate(b)) throw new OracleRequestError('date_range: dates must be YYYY-MM-DD');
    if (a > b) throw new OracleRequestError('date_range: first day after last day');
  } else {
    throw new OracleRequestError('date_range: a named range or [first_day, last_day]');
  }
  const filter = normaliseFilters(r.filters);
  if (metrics.includes('conversion_rate') && splitGoal(filter).goal.length === 0) {
    throw new OracleRequestError('conversion_rate needs a goal: a filter on event or page');
  }
  const limit = r.limit ?? 100;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new OracleRequestError('limit: 1..10000');
  const offset = r.offset ?? 0;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw new OracleRequestError('offset: >= 0');
  const compare = r.compare ?? null;
  if (compare !== null && compare !== 'previous_period' && compare !== 'year_over_year') throw new OracleRequestError(`compare: unknown ${String(compare)}`);
  const orderBy = (r.order_by ?? []) as unknown;
  if (!Array.isArray(orderBy)) throw new OracleRequestError('order_by: a list');
  for (const o of orderBy) {
    if (!Array.isArray(o) || o.length !== 2 || (o[1] !== 'asc' && o[1] !== 'desc')) throw new OracleRequestError('order_by: [name, asc|desc]');
    if (!metrics.includes(o[0]) && !dimensions.includes(o[0])) throw new OracleRequestError(`order_by: ${String(o[0])} is not queried`);
  }
  return {
    dateRange: dateRange as DateRangeInput,
    metrics: metrics as Metric[],
    dimensions,
    filter,
    orderBy: orderBy as [string, 'asc' | 'desc'][],
    limit,
    offset,
    compare,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Time

export interface ResolvedRange {
  /** Inclusive local dates (for realtime: the dates of its ends). */
  firstDay: string;
  lastDay: string;
  /** Instants: events with start <= ts < end count (realtime: start <= ts <= end). */
  start: number;
  end: number;
  realtime: boolean;
}

function dayRange(firstDay: string, lastDay: string, tz: string): ResolvedRange {
  return { firstDay, lastDay, start: localMidnight(firstDay, tz), end: localMidnight(addDays(lastDay, 1), tz), realtime: false };
}

/** Resolves `date_range` against `now` in the site's zone. `firstEventTs` is the site's first event (for "all"). */
export function resolveDateRange(input: DateRangeInput, tz: string, now: number, firstEventTs?: number): ResolvedRange {
  const today = localDate(now, tz);
  if (Array.isArray(input)) return dayRange(input[0], input[1], tz);
  switch (input) {
    case 'day':
      return dayRange(today, today, tz);
    case 'yesterday':
      return dayRange(addDays(today, -1), addDays(today, -1), tz);
    case '7d':
      return dayRange(addDays(today, -6), today, tz);
    case '30d':
      return dayRange(addDays(today, -29), today, tz);
    case 'month':
      return dayRange(firstOfMonth(today), today, tz);
    case 'last_month': {
      const first = addMonths(firstOfMonth(today), -1);
      return dayRange(first, addDays(firstOfMonth(today), -1), tz);
    }
    case '12mo':
      return dayRange(addMonths(firstOfMonth(today), -11), today, tz);
    case 'year':
      return dayRange(`${today.slice(0, 4)}-01-01`, today, tz);
    case 'all':
      return dayRange(firstEventTs === undefined ? today : localDate(firstEventTs, tz), today, tz);
    case 'realtime':
      return { firstDay: localDate(now - 30 * 60_000, tz), lastDay: today, start: now - 30 * 60_000, end: now, realtime: true };
  }
}

/** The range a comparison looks at. */
export function comparisonRange(range: ResolvedRange, mode: CompareMode, tz: string): ResolvedRange {
  if (range.realtime) {
    const len = range.end - range.start;
    return { ...range, start: range.start - len, end: range.start, realtime: false };
  }
  if (mode === 'previous_period') {
    const days = daysBetween(range.firstDay, range.lastDay) + 1;
    return dayRange(addDays(range.firstDay, -days), addDays(range.firstDay, -1), tz);
  }
  return dayRange(addMonths(range.firstDay, -12), addMonths(range.lastDay, -12), tz);
}

/** What plain `time` means for a range. */
export function defaultGranularity(input: DateRangeInput): Granularity {
  if (input === 'realtime') return 'minute';
  if (input === 'day' || input === 'yesterday') return 'hour';
  if (Array.isArray(input)) return input[0] === input[1] ? 'hour' : 'day';
  if (input === '12mo' || input === 'year' || input === 'all') return 'month';
  return 'day';
}

export function granularityOf(dim: string, input: DateRangeInput): Granularity {
  return dim === 'time' ? defaultGranularity(input) : (dim.slice('time:'.length) as Granularity);
}

/** The label of the bucket an instant falls in. */
export function bucketLabel(ts: number, g: Granularity, tz: string): string {
  switch (g) {
    case 'minute':
      return isoWithOffset(minuteStart(ts), tz);
    case 'hour':
      return isoWithOffset(localHourStart(ts, tz), tz);
    case 'day':
      return localDate(ts, tz);
    case 'week':
      return mondayOf(localDate(ts, tz));
    case 'month':
      return firstOfMonth(localDate(ts, tz));
  }
}

/** Every bucket of the range in time order (23 or 25 hours on DST days). */
export function bucketLabels(range: ResolvedRange, g: Granularity, tz: string): string[] {
  const out: string[] = [];
  if (g === 'minute' || g === 'hour') {
    const step = g === 'minute' ? 60_000 : 3_600_000;
    let t = g === 'minute' ? minuteStart(range.start) : localHourStart(range.start, tz);
    for (; range.realtime ? t <= range.end : t < range.end; t += step) out.push(bucketLabel(t, g, tz));
    return out;
  }
  let d = g === 'day' ? range.firstDay : g === 'week' ? mondayOf(range.firstDay) : firstOfMonth(range.firstDay);
  for (; d <= range.lastDay; d = g === 'day' ? addDays(d, 1) : g === 'week' ? addDays(d, 7) : addMonths(d, 1)) out.push(d);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Visits and filters

export interface Visit {
  sessionId: string;
  visitorId: string;
  /** Its events inside the range, by time. */
  events: EventRow[];
  first: EventRow;
  last: EventRow;
  pageviews: number;
  interactive: boolean;
  bounce: boolean;
  durationMs: number;
  entryPage: string;
  exitPage: string;
}

/** Visits as the sets of their events inside the range. */
export function buildVisits(inRange: readonly EventRow[]): Map<string, Visit> {
  const bySession = new Map<string, EventRow[]>();
  for (const e of inRange) {
    let list = bySession.get(e.session_id);
    if (!list) bySession.set(e.session_id, (list = []));
    list.push(e);
  }
  const visits = new Map<string, Visit>();
  for (const [sessionId, events] of bySession) {
    events.sort((a, b) => a.ts - b.ts);
    const pvs = events.filter((e) => e.type === 'pageview');
    const interactive = events.some((e) => e.interactive === 1);
    visits.set(sessionId, {
      sessionId,
      visitorId: events[0]!.visitor_id,
      events,
      first: events[0]!,
      last: events[events.length - 1]!,
      pageviews: pvs.length,
      interactive,
      bounce: pvs.length < 2 && !interactive,
      durationMs: events[events.length - 1]!.ts - events[0]!.ts,
      entryPage: pvs[0]?.pathname ?? '',
      exitPage: pvs[pvs.length - 1]?.pathname ?? '',
    });
  }
  return visits;
}

/**
 * Which events a `page` filter looks at. METRICS.md says both "page (pathname of pageviews; of any event when
 * filtering)" and "Under page filters, page matches pageview events and the engagement pings of the same path";
 * the oracle follows the second, more specific sentence (custom events, outbound and download clicks never match a
 * page filter, so they always match its negation). Set to every type to follow the first one.
 */
export const PAGE_FILTER_TYPES: readonly EventRow['type'][] = ['pageview', 'engagement'];
/** Events with a name (METRICS.md): custom events and outbound/download clicks. */
export const NAMED_TYPES: readonly EventRow['type'][] = ['event', 'outbound', 'download'];

/** The value a dimension has for one event of a visit; undefined when it does not apply (a pageview has no event name). */
export function dimensionValue(dim: string, e: EventRow, v: Visit): string | undefined {
  if (dim === 'entry_page') return v.entryPage;
  if (dim === 'exit_page') return v.exitPage;
  if (dim === 'page') return PAGE_FILTER_TYPES.includes(e.type) ? e.pathname : undefined;
  if (dim === 'hostname') return e.hostname;
  if (dim === 'event') return NAMED_TYPES.includes(e.type) ? e.name : undefined;
  if (dim.startsWith(PROPS_PREFIX)) {
    const key = dim.slice(PROPS_PREFIX.length);
    return NAMED_TYPES.includes(e.type) && Object.prototype.hasOwnProperty.call(e.props, key) ? e.props[key] : undefined;
  }
  return v.first[dim as StampedDimension];
}

const regexCache = new Map<string, RegExp>();
function regex(p: string): RegExp {
  let re = regexCache.get(p);
  if (!re) regexCache.set(p, (re = new RegExp(p, 'u')));
  return re;
}

function leafMatches(op: FilterOp, values: string[], value: string | undefined): boolean {
  let positive = false;
  if (value !== undefined) {
    if (op === 'is' || op === 'is_not') positive = values.includes(value);
    else if (op === 'contains' || op === 'contains_not') positive = values.some((s) => value.toLowerCase().includes(s.toLowerCase()));
    else positive = values.some((p) => regex(p).test(value));
  }
  return op.endsWith('_not') ? !positive : positive;
}

/** Whether one event passes a filter expression; visit dimensions are the visit's, event dimensions the event's. */
export function eventPasses(f: FilterExpr, e: EventRow, v: Visit): boolean {
  switch (f[0]) {
    case 'and':
      return (f[1] as FilterExpr[]).every((x) => eventPasses(x, e, v));
    case 'or':
      return (f[1] as FilterExpr[]).some((x) => eventPasses(x, e, v));
    case 'not':
      return !eventPasses(f[1] as FilterExpr, e, v);
    default: {
      const [op, dim, values] = f as [FilterOp, string, string[]];
      return leafMatches(op, values, dimensionValue(dim, e, v));
    }
  }
}

interface Selection {
  /** Events passing the filter: what event metrics count. */
  E: EventRow[];
  /** Visits with at least one passing event, with all their events in range: what visit metrics count. */
  V: Visit[];
}

function select(inRange: readonly EventRow[], visits: Map<string, Visit>, filter: FilterExpr | null): Selection {
  const E = filter ? inRange.filter((e) => eventPasses(filter, e, visits.get(e.session_id)!)) : [...inRange];
  const ids = new Set(E.map((e) => e.session_id));
  const V = [...visits.values()].filter((v) => ids.has(v.sessionId));
  return { E, V };
}

// ---------------------------------------------------------------------------------------------------------------
// Grouping and metrics

interface Group {
  dims: string[];
  /** Passing events of the row. */
  E: EventRow[];
  /** The row's defining events: its pageviews for `page`, otherwise E. Visitors count over these. */
  anchors: EventRow[];
  V: Visit[];
}

type DimKind = 'time' | 'visit' | 'page' | 'event';
interface DimSpec {
  kind: DimKind;
  eventKey(e: EventRow, v: Visit): string | undefined;
  /** Dimensions with several values per event (the names of its properties). */
  eventKeys?(e: EventRow): string[];
  visitKey(v: Visit): string;
}

function dimSpec(dim: string, input: DateRangeInput, tz: string): DimSpec {
  if (isTimeDimension(dim)) {
    const g = granularityOf(dim, input);
    return { kind: 'time', eventKey: (e) => bucketLabel(e.ts, g, tz), visitKey: (v) => bucketLabel(v.first.ts, g, tz) };
  }
  if (dim === 'page') {
    // Pageviews and their engagement pings, grouped by path.
    return {
      kind: 'page',
      eventKey: (e) => (e.type === 'pageview' || e.type === 'engagement' ? e.pathname : undefined),
      visitKey: () => {
        throw new Error('page is not a visit dimension');
      },
    };
  }
  if (dim === PROP_KEYS) {
    return {
      kind: 'event',
      eventKey: () => undefined,
      eventKeys: (e) => (NAMED_TYPES.includes(e.type) ? Object.keys(e.props) : []),
      visitKey: () => {
        throw new Error(`${dim} is not a visit dimension`);
      },
    };
  }
  if (dim === 'hostname' || dim === 'event' || dim.startsWith(PROPS_PREFIX)) {
    return {
      kind: 'event',
      eventKey: (e, v) => dimensionValue(dim, e, v),
      visitKey: () => {
        throw new Error(`${dim} is not a visit dimension`);
      },
    };
  }
  return { kind: 'visit', eventKey: (e, v) => dimensionValue(dim, e, v), visitKey: (v) => dimensionValue(dim, v.first, v)! };
}

function groupRows(sel: Selection, visits: Map<string, Visit>, dims: string[], input: DateRangeInput, tz: string, range: ResolvedRange): Map<string, Group> {
  const groups = new Map<string, Group>();
  const groupFor = (keys: string[]): Group => {
    const k = JSON.stringify(keys);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { dims: keys, E: [], anchors: [], V: [] }));
    return g;
  };
  if (dims.length === 0) {
    groups.set('[]', { dims: [], E: sel.E, anchors: sel.E, V: sel.V });
    return groups;
  }
  const specs = dims.map((d) => dimSpec(d, input, tz));
  const byEvent = specs.some((s) => s.kind === 'page' || s.kind === 'event');
  const hasPage = specs.some((s) => s.kind === 'page');
  if (dims.length === 1 && specs[0]!.kind === 'time') {
    for (const label of bucketLabels(range, granularityOf(dims[0]!, input), tz)) groupFor([label]);
  }
  // Events first: an event-dimension row exists when it has defining events (pageviews for `page`).
  const pending = new Map<string, { keys: string[]; E: EventRow[]; anchors: EventRow[] }>();
  for (const e of sel.E) {
    const v = visits.get(e.session_id)!;
    // Every combination of the event's values (one per dimension, several for a multi-valued one).
    let combos: string[][] = [[]];
    for (const s of specs) {
      const values = s.eventKeys ? s.eventKeys(e) : [s.eventKey(e, v)].filter((x): x is string => x !== undefined);
      combos = combos.flatMap((c) => values.map((x) => [...c, x]));
    }
    for (const keys of combos) {
      const k = JSON.stringify(keys);
      let p = pending.get(k);
      if (!p) pending.set(k, (p = { keys, E: [], anchors: [] }));
      p.E.push(e);
      if (!hasPage || e.type === 'pageview') p.anchors.push(e);
    }
  }
  for (const p of pending.values()) {
    if (byEvent && p.anchors.length === 0) continue;
    const g = groupFor(p.keys);
    g.E = p.E;
    g.anchors = p.anchors;
  }
  if (byEvent) {
    for (const g of groups.values()) {
      const ids = new Set(g.anchors.map((e) => e.session_id));
      g.V = [...ids].map((id) => visits.get(id)!);
    }
  } else {
    for (const v of sel.V) groupFor(specs.map((s) => s.visitKey(v))).V.push(v);
  }
  return groups;
}

const distinctVisitors = (events: readonly EventRow[]) => new Set(events.map((e) => e.visitor_id)).size;

/** Unrounded metric values of one row. `base` is the same row without the goal (for conversion_rate). */
function rawMetrics(g: Group, metrics: Metric[], base: Group | undefined): number[] {
  const pageviews = g.E.filter((e) => e.type === 'pageview').length;
  return metrics.map((m) => {
    switch (m) {
      case 'visitors':
        return distinctVisitors(g.anchors);
      case 'visits':
        return g.V.length;
      case 'pageviews':
        return pageviews;
      case 'views_per_visit':
        return g.V.length === 0 ? 0 : g.V.reduce((s, v) => s + v.pageviews, 0) / g.V.length;
      case 'bounce_rate':
        return g.V.length === 0 ? 0 : (100 * g.V.filter((v) => v.bounce).length) / g.V.length;
      case 'visit_duration':
        return g.V.length === 0 ? 0 : g.V.reduce((s, v) => s + v.durationMs, 0) / g.V.length / 1000;
      case 'events':
        return g.E.filter((e) => NAMED_TYPES.includes(e.type)).length;
      case 'time_on_page': {
        const engaged = g.E.filter((e) => e.type === 'engagement').reduce((s, e) => s + e.engaged_ms, 0);
        return pageviews === 0 ? 0 : engaged / 1000 / pageviews;
      }
      case 'scroll_depth': {
        const maxByPair = new Map<string, number>();
        for (const e of g.E) {
          if (e.type !== 'engagement') continue;
          const k = `${e.session_id}\u0000${e.pathname}`;
          maxByPair.set(k, Math.max(maxByPair.get(k) ?? 0, e.scroll_depth));
        }
        return maxByPair.size === 0 ? 0 : [...maxByPair.values()].reduce((a, b) => a + b, 0) / maxByPair.size;
      }
      case 'conversion_rate': {
        const all = base ? distinctVisitors(base.anchors) : 0;
        return all === 0 ? 0 : (100 * distinctVisitors(g.E)) / all;
      }
      case 'revenue':
        return g.E.filter((e) => e.type === 'event').reduce((s, e) => s + e.revenue, 0);
    }
  });
}

export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/**
 * Relative change in percent (1 decimal), null when the comparison value is 0; bounce_rate: the difference in points.
 * Rates over visits (bounce rate, views per visit, visit duration) have no change when either period has no visit.
 */
export function changeOf(metric: Metric, current: number, previous: number, visits?: { now: number; before: number }): number | null {
  if (visits && ['bounce_rate', 'views_per_visit', 'visit_duration'].includes(metric) && (visits.now === 0 || visits.before === 0)) return null;
  if (metric === 'bounce_rate') return roundTo(current - previous, 1);
  if (previous === 0) return null;
  return roundTo(((current - previous) / previous) * 100, 1);
}

// ---------------------------------------------------------------------------------------------------------------
// The query

export interface OracleRow {
  dimensions: string[];
  /** Rounded as the contract says. */
  metrics: number[];
  /** Before rounding (for tolerances and ties). */
  raw: number[];
  /** Distinct currencies of the row's custom events. */
  currencies: string[];
  comparison?: {
    metrics: number[];
    raw: number[];
    /** From the rounded values. */
    change: (number | null)[];
    /** From the unrounded values (the contract does not say which; both are accepted). */
    changeFromRaw: (number | null)[];
  };
}

export interface OracleAnswer {
  query: NormalisedQuery;
  range: ResolvedRange;
  comparisonRange?: ResolvedRange;
  granularity?: Granularity;
  /** Every bucket label of the range, in time order, when a time dimension is asked. */
  timeLabels?: string[];
  /** All rows in order, before offset and limit. */
  allRows: OracleRow[];
  /** The page asked for (offset, limit). */
  rows: OracleRow[];
  totalRows: number;
  warnings: string[];
  /** Distinct currencies of all custom events counted (revenue). */
  currencies: string[];
}

interface PeriodResult {
  groups: Map<string, Group>;
  raw: Map<string, number[]>;
  E: EventRow[];
}

function computePeriod(siteEvents: readonly EventRow[], range: ResolvedRange, q: NormalisedQuery, tz: string): PeriodResult {
  const inRange = siteEvents.filter((e) => e.ts >= range.start && (range.realtime ? e.ts <= range.end : e.ts < range.end));
  const visits = buildVisits(inRange);
  const sel = select(inRange, visits, q.filter);
  const groups = groupRows(sel, visits, q.dimensions, q.dateRange, tz, range);
  let baseGroups: Map<string, Group> | undefined;
  if (q.metrics.includes('conversion_rate')) {
    const { base } = splitGoal(q.filter);
    baseGroups = groupRows(select(inRange, visits, base), visits, q.dimensions, q.dateRange, tz, range);
    // A row where the goal was never reached still has a conversion rate (0) when it has visitors.
    for (const [k, g] of baseGroups) if (!groups.has(k)) groups.set(k, { dims: g.dims, E: [], anchors: [], V: [] });
  }
  const raw = new Map<string, number[]>();
  for (const [k, g] of groups) raw.set(k, rawMetrics(g, q.metrics, baseGroups?.get(k)));
  return { groups, raw, E: sel.E };
}

/** Answers a Stats API request the way METRICS.md defines it. Throws OracleRequestError for requests it must refuse. */
export function runOracle(events: readonly EventRow[], site: { id: number; timezone: string }, request: unknown, now: Date): OracleAnswer {
  const q = normaliseRequest(request);
  const tz = site.timezone;
  const siteEvents = events.filter((e) => e.site_id === site.id);
  const firstTs = siteEvents.reduce<number | undefined>((m, e) => (m === undefined || e.ts < m ? e.ts : m), undefined);
  const range = resolveDateRange(q.dateRange, tz, now.getTime(), firstTs);
  const timeIndex = q.dimensions.findIndex(isTimeDimension);
  const granularity = timeIndex >= 0 ? granularityOf(q.dimensions[timeIndex]!, q.dateRange) : undefined;
  const timeLabels = granularity ? bucketLabels(range, granularity, tz) : undefined;

  const current = computePeriod(siteEvents, range, q, tz);
  let rows: OracleRow[] = [...current.groups.entries()].map(([k, g]) => {
    const raw = current.raw.get(k)!;
    return { dimensions: g.dims, raw, metrics: raw.map((x, i) => roundTo(x, METRIC_DECIMALS[q.metrics[i]!])), currencies: currenciesOf(g.E) };
  });

  rows = sortRows(rows, q, timeIndex, timeLabels);

  let cmpRange: ResolvedRange | undefined;
  if (q.compare) {
    cmpRange = comparisonRange(range, q.compare, tz);
    const previous = computePeriod(siteEvents, cmpRange, q, tz);
    const cmpLabels = granularity ? bucketLabels(cmpRange, granularity, tz) : undefined;
    for (const row of rows) {
      // Time buckets are matched by position (the n-th bucket of each period); other rows by their values.
      let key = JSON.stringify(row.dimensions);
      if (timeIndex >= 0 && timeLabels && cmpLabels) {
        const pos = timeLabels.indexOf(row.dimensions[timeIndex]!);
        const dims = [...row.dimensions];
        dims[timeIndex] = cmpLabels[pos] ?? '';
        key = JSON.stringify(dims);
      }
      const prevRaw = previous.raw.get(key) ?? q.metrics.map(() => 0);
      const prevRounded = prevRaw.map((x, i) => roundTo(x, METRIC_DECIMALS[q.metrics[i]!]));
      const visits = { now: current.groups.get(JSON.stringify(row.dimensions))?.V.length ?? 0, before: previous.groups.get(key)?.V.length ?? 0 };
      row.comparison = {
        raw: prevRaw,
        metrics: prevRounded,
        change: q.metrics.map((m, i) => changeOf(m, row.metrics[i]!, prevRounded[i]!, visits)),
        changeFromRaw: q.metrics.map((m, i) => changeOf(m, row.raw[i]!, prevRaw[i]!, visits)),
      };
    }
  }

  const currencies = currenciesOf(current.E);
  const warnings: string[] = [];
  if (q.metrics.includes('revenue') && currencies.length > 1) {
    warnings.push(`revenue: amounts in ${currencies.join(', ')} are summed without conversion`);
  }
  return {
    query: q,
    range,
    comparisonRange: cmpRange,
    granularity,
    timeLabels,
    allRows: rows,
    rows: rows.slice(q.offset, q.offset + q.limit),
    totalRows: rows.length,
    warnings,
    currencies,
  };
}

function currenciesOf(events: readonly EventRow[]): string[] {
  return [...new Set(events.filter((e) => e.type === 'event' && e.currency !== '').map((e) => e.currency))].sort();
}

/** Time ascending first (by bucket order), then order_by, default: the first metric descending for breakdowns. */
export function sortRows(rows: OracleRow[], q: NormalisedQuery, timeIndex: number, timeLabels: string[] | undefined): OracleRow[] {
  const orderBy = q.orderBy.length > 0 ? q.orderBy : timeIndex >= 0 ? [] : [[q.metrics[0]!, 'desc'] as [string, 'asc' | 'desc']];
  const pos = new Map((timeLabels ?? []).map((l, i) => [l, i]));
  return [...rows].sort((a, b) => compareRows(a, b, q, orderBy, timeIndex, pos));
}

/** The comparator shared with the tests: 0 means the two rows may come in either order (a tie). */
export function compareRows(a: OracleRow, b: OracleRow, q: NormalisedQuery, orderBy: [string, 'asc' | 'desc'][], timeIndex: number, pos: Map<string, number>): number {
  if (timeIndex >= 0) {
    const d = (pos.get(a.dimensions[timeIndex]!) ?? 0) - (pos.get(b.dimensions[timeIndex]!) ?? 0);
    if (d !== 0) return d;
  }
  for (const [name, dir] of orderBy) {
    const sign = dir === 'asc' ? 1 : -1;
    const mi = q.metrics.indexOf(name as Metric);
    if (mi >= 0) {
      const d = a.metrics[mi]! - b.metrics[mi]!;
      if (d !== 0) return sign * d;
      continue;
    }
    const di = q.dimensions.indexOf(name);
    if (di >= 0) {
      const x = a.dimensions[di]!;
      const y = b.dimensions[di]!;
      if (x !== y) return sign * (x < y ? -1 : 1);
    }
  }
  return 0;
}
