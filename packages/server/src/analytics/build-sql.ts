// Builds the ClickHouse SQL of a planned query: an event-level aggregation, a visit-level one, and scroll depth.
import { PROP_KEYS, PROPS_PREFIX, VISIT_DIMENSIONS, type Granularity } from './catalog.js';
import type { ResolvedRange } from './date-range.js';
import type { FilterExpr } from './parse-query.js';
import { SqlParams } from './sql-params.js';
import { bucketSql } from './time-buckets.js';
import type { SiteVisitIndex } from './visit-index.js';

/** Events with a name: custom events, and the outbound-link and file-download clicks the tracker names. */
const NAMED_EVENTS = `type IN ('event', 'outbound', 'download')`;

export interface SqlPlan {
  siteId: number;
  tz: string;
  range: ResolvedRange;
  filters: FilterExpr | undefined;
  /** Non-time dimensions, at most one of them an event dimension. */
  dimensions: string[];
  time: Granularity | undefined;
}

export interface BuiltSql {
  sql: string;
  params: SqlParams;
}

const PAGE_TYPES = `type IN ('pageview', 'engagement')`;

/** Whether a query breaks down or filters by one of `dimensions`. */
function involves(plan: SqlPlan, dimensions: readonly string[]): boolean {
  const inFilters = (f: FilterExpr | undefined): boolean =>
    !!f && ('dimension' in f ? dimensions.includes(f.dimension) : 'children' in f ? f.children.some(inFilters) : inFilters(f.child));
  return inFilters(plan.filters) || plan.dimensions.some((d) => dimensions.includes(d));
}

const usesVisitPages = (plan: SqlPlan): boolean => involves(plan, ['entry_page', 'exit_page']);

/**
 * The events projection by page (stores/events/migrations.ts, version 4) is for queries by page. ClickHouse would
 * also read it for other queries it can answer whenever it reads no more of it than of the table (a range covering
 * all the data), and those count visitors per day or in total faster in the table's own order (measured on
 * bench:query's 90 days: visitors by day 97 ms from the table, 149 ms from the projection).
 */
const projectionSettings = (plan: SqlPlan): string => (involves(plan, ['page']) ? '' : ' SETTINGS optimize_use_projections = 0');

/**
 * The events of the site in range (and passing `only`, when given) as a FROM clause and its range condition; joined
 * with each visit's entry and exit page only when a query needs them (reading the table directly lets ClickHouse prune
 * columns and use the key).
 */
function source(plan: SqlPlan, p: SqlParams, only?: string): { from: string; where: string } {
  const where = `site_id = ${p.add(plan.siteId, 'UInt32')} AND ts >= fromUnixTimestamp64Milli(${p.add(plan.range.start, 'Int64')}) AND ts < fromUnixTimestamp64Milli(${p.add(plan.range.end, 'Int64')})${only ? ` AND ${only}` : ''}`;
  if (!usesVisitPages(plan)) return { from: 'events', where };
  const from = `(SELECT * FROM events WHERE ${where}) AS e
    INNER JOIN (
      SELECT session_id, argMinIf(pathname, (ts, pathname), type = 'pageview') AS entry_page, argMaxIf(pathname, (ts, pathname), type = 'pageview') AS exit_page
      FROM events WHERE ${where} GROUP BY session_id
    ) AS visit_pages USING session_id`;
  return { from, where: '1' };
}

/** The value of a dimension on an event row. */
function columnOf(dimension: string, p: SqlParams): string {
  if (dimension in VISIT_DIMENSIONS) return VISIT_DIMENSIONS[dimension as keyof typeof VISIT_DIMENSIONS];
  if (dimension === 'entry_page' || dimension === 'exit_page') return dimension;
  if (dimension === 'page') return 'pathname';
  if (dimension === 'hostname') return 'hostname';
  if (dimension === 'event') return 'name';
  if (dimension === PROP_KEYS) return 'arrayJoin(mapKeys(props))';
  return `props[${p.add(dimension.slice(PROPS_PREFIX.length), 'String')}]`;
}

/** Which events a dimension applies to (pages: pageviews and their pings; event names and props: custom events). */
function scopeOf(dimension: string, p: SqlParams): string | undefined {
  if (dimension === 'page') return PAGE_TYPES;
  if (dimension === 'event') return NAMED_EVENTS;
  if (dimension === PROP_KEYS) return `${NAMED_EVENTS} AND notEmpty(props)`;
  if (dimension.startsWith(PROPS_PREFIX)) return `${NAMED_EVENTS} AND mapContains(props, ${p.add(dimension.slice(PROPS_PREFIX.length), 'String')})`;
  return undefined;
}

function valueMatch(op: 'is' | 'contains' | 'matches', column: string, values: string[], p: SqlParams): string {
  // One value: a plain comparison is cheaper than a set lookup on every row.
  if (op === 'is') return values.length === 1 ? `${column} = ${p.add(values[0]!, 'String')}` : `${column} IN ${p.add(values, 'Array(String)')}`;
  if (op === 'contains') return `multiSearchAnyCaseInsensitiveUTF8(${column}, ${p.add(values, 'Array(String)')})`;
  return `(${values.map((v) => `match(${column}, ${p.add(v, 'String')})`).join(' OR ')})`;
}

/** The filter as a predicate on one event row (visit dimensions take the visit's value). */
export function filterSql(f: FilterExpr | undefined, p: SqlParams): string {
  if (!f) return '1';
  if ('children' in f) return `(${f.children.map((c) => filterSql(c, p)).join(f.op === 'and' ? ' AND ' : ' OR ')})`;
  if ('child' in f) return `NOT (${filterSql(f.child, p)})`;
  const negated = f.op.endsWith('_not');
  const positive = (negated ? f.op.slice(0, -4) : f.op) as 'is' | 'contains' | 'matches';
  const match = valueMatch(positive, columnOf(f.dimension, p), f.values, p);
  const scope = scopeOf(f.dimension, p);
  const pred = scope ? `(${scope} AND ${match})` : match;
  return negated ? `NOT ${pred}` : pred;
}

/** The aggregates eventLevelSql can compute; a query asks only for those its metrics need. */
export const EVENT_AGGREGATES = ['visitors', 'pageviews', 'events', 'engaged_ms', 'revenue', 'currencies'] as const;
export type EventAggregate = (typeof EVENT_AGGREGATES)[number];

/** Per-row aggregates of event metrics; the caller derives the metrics from them. */
export function eventLevelSql(plan: SqlPlan, aggregates: readonly EventAggregate[] = EVENT_AGGREGATES): BuiltSql {
  const p = new SqlParams();
  const src = source(plan, p);
  const dims: string[] = [];
  const where = [src.where, filterSql(plan.filters, p)];
  let visitorsExpr = 'uniqExact(visitor_id)';
  if (plan.time) dims.push(`${bucketSql(plan.time, plan.range, plan.tz, 'ts', p)} AS d_time`);
  plan.dimensions.forEach((d, i) => {
    dims.push(`toString(${columnOf(d, p)}) AS d${i}`);
    if (d === 'page' && !aggregates.includes('engaged_ms')) {
      // Without time on page the pings are not needed: pageviews alone are fewer rows to read.
      where.push(`type = 'pageview'`);
      return;
    }
    const scope = scopeOf(d, p);
    if (scope) where.push(scope);
    if (d === 'page') visitorsExpr = `uniqExactIf(visitor_id, type = 'pageview')`;
  });
  const expressions: Record<EventAggregate, string> = {
    visitors: `${visitorsExpr} AS visitors`,
    pageviews: `countIf(type = 'pageview') AS pageviews`,
    events: `countIf(${NAMED_EVENTS}) AS events`,
    engaged_ms: `sumIf(engaged_ms, type = 'engagement') AS engaged_ms`,
    revenue: `toFloat64(sumIf(revenue, type = 'event')) AS revenue`,
    currencies: `uniqExactIf(currency, type = 'event' AND currency != '') AS currencies`,
  };
  const select = [...dims, ...EVENT_AGGREGATES.filter((a) => aggregates.includes(a)).map((a) => expressions[a])];
  const sql = `SELECT ${select.join(', ')} FROM ${src.from} WHERE ${where.join(' AND ')}${
    dims.length ? ` GROUP BY ${dims.map((_, i) => i + 1).join(', ')}` : ''
  }${projectionSettings(plan)}`;
  return { sql, params: p };
}

/** Mean of the deepest scroll per (visit, page) among the matching engagement pings. */
export function scrollDepthSql(plan: SqlPlan): BuiltSql {
  const p = new SqlParams();
  const src = source(plan, p);
  const dims: string[] = [];
  const where = [src.where, filterSql(plan.filters, p), `type = 'engagement'`];
  if (plan.time) dims.push(`${bucketSql(plan.time, plan.range, plan.tz, 'ts', p)} AS d_time`);
  plan.dimensions.forEach((d, i) => {
    dims.push(`toString(${columnOf(d, p)}) AS d${i}`);
    const scope = scopeOf(d, p);
    if (scope) where.push(scope);
  });
  const names = dims.map((d) => d.slice(d.lastIndexOf(' AS ') + 4));
  const inner = `SELECT ${[...dims, 'session_id', 'pathname', 'max(scroll_depth) AS deepest'].join(', ')} FROM ${src.from} WHERE ${where.join(' AND ')} GROUP BY ${[...names, 'session_id', 'pathname'].join(', ')}`;
  const sql = `SELECT ${[...names, 'avg(deepest) AS scroll_depth'].join(', ')} FROM (${inner})${names.length ? ` GROUP BY ${names.join(', ')}` : ''}`;
  return { sql, params: p };
}

/** Whether a filter reads visit dimensions only: its value is the same on every event of a visit. */
function isVisitOnly(f: FilterExpr): boolean {
  if ('dimension' in f) return f.kind === 'visit' || f.kind === 'visit-page';
  if ('children' in f) return f.children.every(isVisitOnly);
  return isVisitOnly(f.child);
}

/** Whether a filter holds only for events it names (is / contains / matches, joined by and / or): such filters are selective. */
function isPositive(f: FilterExpr): boolean {
  if ('dimension' in f) return !f.op.endsWith('_not');
  if ('children' in f) return f.children.every(isPositive);
  return false;
}

/**
 * The filter as its top-level conjuncts on visit dimensions and the rest. A visit dimension is stamped on every event
 * of the visit (entry and exit page are joined per visit), so a conjunct on visit dimensions holds for all of a visit's
 * events or for none: as a row condition it keeps exactly the selected visits with all their events.
 */
export function splitFilter(f: FilterExpr | undefined): { visit: FilterExpr | undefined; rest: FilterExpr | undefined } {
  if (!f) return { visit: undefined, rest: undefined };
  const parts = f.op === 'and' ? f.children : [f];
  const join = (xs: FilterExpr[]): FilterExpr | undefined => (xs.length === 0 ? undefined : xs.length === 1 ? xs[0] : { op: 'and', children: xs });
  return { visit: join(parts.filter(isVisitOnly)), rest: join(parts.filter((c) => !isVisitOnly(c))) };
}

/** The event aggregates a visit-level query can count along (see canFoldVisitors). */
export const FOLDABLE_AGGREGATES: readonly EventAggregate[] = ['visitors', 'pageviews'];

/**
 * Whether the visit-level query of a plan can also count the event-level visitors and pageviews (no dimensions): the
 * visits it reads are those containing a matching event, so every matching event is among the rows it reads.
 */
export function canFoldVisitors(plan: SqlPlan, indexed = false): boolean {
  // Through the index, a filter on visit attributes may pass a replaced state of a visit whose last state it does not
  // pass (entry page, exit page): the signs cancel its counts, not its visitor id. Such visitors come from the events.
  return plan.dimensions.length === 0 && !plan.time && !(indexed && splitFilter(plan.filters).visit !== undefined);
}

/**
 * Per-row aggregates of visit metrics over the visits that contain a matching event.
 *
 * The filter's conjuncts on visit dimensions become a row condition (see splitFilter). The rest selects the visits
 * with at least one matching event: a positive rest (is / contains / matches) usually matches few visits, so their
 * session ids are collected first and only their events are read and grouped; any other rest groups every visit and
 * keeps those where one of its events matches.
 *
 * `withVisitors` (dimensionless queries, see canFoldVisitors) also counts the pageviews and the distinct visitors of the
 * matching events, through each visit's visitor id: one scan instead of two. `mixed_visitors` > 0 means some visit
 * carried several visitor ids, and then `visitors` is not the count and the caller must ask the events.
 */
export function visitLevelSql(plan: SqlPlan, withVisitors = false): BuiltSql {
  const p = new SqlParams();
  const folded = withVisitors && canFoldVisitors(plan);
  const rows = rawVisitRows(plan, p, folded);
  const select = [
    ...rows.outerDims,
    'count() AS visits',
    'sum(pv) AS visit_pageviews',
    'countIf(pv < 2 AND interactions = 0) AS bounces',
    'sum(duration_ms) AS duration_ms',
    ...(folded ? ['uniqExact(visitor_lo) AS visitors', 'countIf(visitor_lo != visitor_hi) AS mixed_visitors', 'sum(matching_pv) AS pageviews'] : []),
  ];
  const sql = `SELECT ${select.join(', ')} FROM (${rows.sql})${rows.arrayJoin}${rows.outerDims.length ? ` GROUP BY ${rows.outerDims.map((_, i) => i + 1).join(', ')}` : ''}`;
  return { sql, params: p };
}

/**
 * One row per selected visit, grouped from its events in range: session_id, start_ts, duration_ms, pv, interactions,
 * the visit's dimension values (d0…, or d0_values for an event dimension, see arrayJoin) and, when `folded`, the
 * visitor ids and pageviews of its matching events (visitor_lo, visitor_hi, matching_pv). `onlySessions`, a condition
 * on session_id, narrows the visits read.
 */
function rawVisitRows(plan: SqlPlan, p: SqlParams, folded: boolean, onlySessions?: string): { sql: string; outerDims: string[]; arrayJoin: string } {
  const src = source(plan, p, onlySessions);
  const { visit, rest } = splitFilter(plan.filters);
  const visitPred = filterSql(visit, p);
  const pred = filterSql(rest, p);
  const inner: string[] = [
    'session_id',
    'min(ts) AS start_ts',
    'toUnixTimestamp64Milli(max(ts)) - toUnixTimestamp64Milli(min(ts)) AS duration_ms',
    `countIf(type = 'pageview') AS pv`,
    'countIf(interactive = 1) AS interactions',
  ];
  const outerDims: string[] = [];
  let arrayJoin = '';
  plan.dimensions.forEach((d, i) => {
    const scope = scopeOf(d, p);
    if (d in VISIT_DIMENSIONS || d === 'entry_page' || d === 'exit_page') {
      inner.push(`any(toString(${columnOf(d, p)})) AS d${i}`);
    } else {
      // An event dimension: a visit counts in the row of every matching value it contains.
      const cond = [pred, scope ?? '1', d === 'page' ? `type = 'pageview'` : '1'].join(' AND ');
      inner.push(`groupUniqArrayIf(toString(${columnOf(d, p)}), ${cond}) AS d${i}_values`);
      arrayJoin = ` ARRAY JOIN d${i}_values AS d${i}`;
    }
    outerDims.push(`d${i}`);
  });
  if (plan.time) outerDims.unshift(`${bucketSql(plan.time, plan.range, plan.tz, 'start_ts', p)} AS d_time`);

  if (folded && pred === '1') inner.push('min(visitor_id) AS visitor_lo', 'max(visitor_id) AS visitor_hi', 'pv AS matching_pv');
  // With an event filter the visit's other events are read too: only its matching events count.
  else if (folded) inner.push(`minIf(visitor_id, ${pred}) AS visitor_lo`, `maxIf(visitor_id, ${pred}) AS visitor_hi`, `countIf(type = 'pageview' AND ${pred}) AS matching_pv`);

  const where = [src.where, visitPred].join(' AND ');
  let from = src.from;
  let having = '';
  if (onlySessions) {
    // A few sessions named up front (in the source's condition): read just their events, in PREWHERE as below.
    if (src.from === 'events') from = `events PREWHERE ${src.where}`;
    if (pred !== '1') having = ` HAVING countIf(${pred}) > 0`;
  } else if (pred !== '1') {
    if (src.from === 'events' && isPositive(rest!)) {
      // The range stays in PREWHERE with the set lookup: ClickHouse otherwise probes the set after reading every column.
      from = `events PREWHERE ${src.where} AND session_id IN (SELECT session_id FROM events WHERE ${where} AND ${pred})`;
    } else {
      having = ` HAVING countIf(${pred}) > 0`;
    }
  }
  return { sql: `SELECT ${inner.join(', ')} FROM ${from} WHERE ${where} GROUP BY session_id${having}`, outerDims, arrayJoin };
}

/**
 * Whether the visit index is the faster way for a range: it saves grouping every visit of a long range, at a fixed
 * cost (reading which visits are unindexed, the events near the range's edges). Measured on bench:query: grouping wins
 * below two weeks, and below two months under an event filter (matching visits are few and grouping them is cheap).
 */
export function prefersVisitIndex(range: ResolvedRange, filters: FilterExpr | undefined): boolean {
  const days = (range.end - range.start) / 86_400_000;
  return days >= (splitFilter(filters).rest ? 60 : 14);
}

/**
 * Whether the visit index can answer a plan's visit metrics: every dimension is a visit's own (or time), and the part
 * of the filter that selects by events does not also ask for entry or exit pages (those are not on the event rows).
 */
export function canUseVisitIndex(plan: SqlPlan): boolean {
  const { rest } = splitFilter(plan.filters);
  return plan.dimensions.every((d) => d in VISIT_DIMENSIONS || d === 'entry_page' || d === 'exit_page') && !usesVisitPages({ ...plan, dimensions: [], filters: rest });
}

/**
 * visitLevelSql's aggregates from the visit index (analytics/visit-index.ts), same columns, same numbers.
 *
 * A visit counts by its events inside the range (METRICS.md), so the index's state of a visit is the visit's own only
 * when the visit lies wholly inside the range and the index has all its events. Those visits are summed from the
 * index (each state row weighted by its sign); the rest — visits crossing the range's start or end, and visits with an
 * event inserted after the index's watermark — are grouped from their events as visitLevelSql does.
 *
 * `withVisitors` (no dimensions, see canFoldVisitors) adds visitors, mixed_visitors and the pageviews of the matching
 * events as visitLevelSql does: a visit's rows in the index carry its visitor ids, and under an event filter the join
 * with the matching visits counts their matching pageviews.
 */
export function indexedVisitSql(plan: SqlPlan, index: SiteVisitIndex, withVisitors = false): BuiltSql {
  const p = new SqlParams();
  const { visit, rest } = splitFilter(plan.filters);
  const folded = withVisitors && canFoldVisitors(plan, true);
  const site = p.add(plan.siteId, 'UInt32');
  const A = `fromUnixTimestamp64Milli(${p.add(plan.range.start, 'Int64')})`;
  const B = `fromUnixTimestamp64Milli(${p.add(plan.range.end, 'Int64')})`;
  const longest = `toIntervalMillisecond(${p.add(index.maxVisitMs, 'Int64')})`;
  // Read just before (see readSiteVisitIndex): the same visits for every part of the query.
  const unindexed = `CAST(${p.add(index.unindexed?.sessionIds ?? [], 'Array(String)')} AS Array(UInt64))`;
  // The indexed visits crossing the range's start or end (the index's last state; a visit lasts at most `longest`).
  const crossing = `SELECT session_id FROM visits
    WHERE site_id = ${site} AND start_ts >= ${A} - ${longest} AND start_ts < ${B}
      AND ((start_ts < ${A} AND end_ts >= ${A}) OR end_ts >= ${B})
    GROUP BY session_id HAVING sum(sign) > 0`;

  const dims: string[] = plan.dimensions.map((d, i) => `toString(${columnOf(d, p)}) AS d${i}`);
  if (plan.time) dims.unshift(`${bucketSql(plan.time, plan.range, plan.tz, 'start_ts', p)} AS d_time`);
  const names = dims.map((d) => d.slice(d.lastIndexOf(' AS ') + 4));
  const where = [
    `site_id = ${site}`,
    `start_ts >= ${A}`,
    `end_ts < ${B}`,
    `NOT has(${unindexed}, session_id)`,
    filterSql(visit, p),
  ];
  // Under an event filter, the visits with a matching event in range and how many matching pageviews each has (the
  // visit conjuncts hold for all of a visit's events or none: they select the index's rows).
  const matching = rest
    ? ` INNER JOIN (SELECT session_id, toInt64(countIf(type = 'pageview')) AS matching_pv FROM events
        WHERE site_id = ${site} AND ts >= ${A} AND ts < ${B} AND ${filterSql(rest, p)} GROUP BY session_id) AS matching USING session_id`
    : '';
  const indexed = `SELECT ${[
    ...dims,
    'toInt64(sign) AS visits',
    'toInt64(sign * pageviews) AS visit_pageviews',
    'toInt64(sign * (pageviews < 2 AND interactions = 0)) AS bounces',
    'toInt64(sign * (toUnixTimestamp64Milli(end_ts) - toUnixTimestamp64Milli(start_ts))) AS duration_ms',
    ...(folded ? ['visitor_lo', 'toInt64(sign * (visitor_lo != visitor_hi)) AS mixed', `toInt64(sign * ${rest ? 'matching_pv' : 'pageviews'}) AS matching_pv`] : []),
  ].join(', ')} FROM visits${matching} WHERE ${where.join(' AND ')}`;

  // The other visits from their events: those crossing an edge near it, the unindexed ones where they can be.
  const edges = `(ts < ${A} + ${longest} OR ts >= ${B} - ${longest}) AND session_id IN (${crossing}) AND NOT has(${unindexed}, session_id)`;
  const span = index.unindexed && { first: Math.max(index.unindexed.first, plan.range.start), last: Math.min(index.unindexed.last, plan.range.end - 1) };
  const late =
    span && span.first <= span.last
      ? [`ts >= fromUnixTimestamp64Milli(${p.add(span.first, 'Int64')}) AND ts <= fromUnixTimestamp64Milli(${p.add(span.last, 'Int64')}) AND has(${unindexed}, session_id)`]
      : [];
  const grouped = [edges, ...late].map((only) => {
    const raw = rawVisitRows(plan, p, folded, only);
    const columns = [
      ...raw.outerDims,
      'toInt64(1) AS visits',
      'toInt64(pv) AS visit_pageviews',
      'toInt64(pv < 2 AND interactions = 0) AS bounces',
      'toInt64(duration_ms) AS duration_ms',
      ...(folded ? ['visitor_lo', 'toInt64(visitor_lo != visitor_hi) AS mixed', 'toInt64(matching_pv) AS matching_pv'] : []),
    ];
    return `SELECT ${columns.join(', ')} FROM (${raw.sql})`;
  });

  const select = [
    ...names,
    'sum(visits) AS visits',
    'sum(visit_pageviews) AS visit_pageviews',
    'sum(bounces) AS bounces',
    'sum(duration_ms) AS duration_ms',
    ...(folded ? ['uniqExact(visitor_lo) AS visitors', 'sum(mixed) AS mixed_visitors', 'sum(matching_pv) AS pageviews'] : []),
  ];
  // The event filter's session ids are looked up row by row: using them to prune the visits' key is far slower.
  // A state and its cancelling row add up to nothing: a row of no visits is no row (without dimensions, the total stays).
  const sql = `SELECT ${select.join(', ')} FROM (${[indexed, ...grouped].join(' UNION ALL ')})${names.length ? ` GROUP BY ${names.join(', ')} HAVING visits != 0` : ''} SETTINGS use_index_for_in_with_subqueries = 0`;
  return { sql, params: p };
}
