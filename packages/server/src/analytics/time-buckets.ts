// Time buckets of a range in the site's zone: the SQL expression that assigns an event to one, and the full list with labels.
import type { Granularity, TimeDimension } from './catalog.js';
import type { ResolvedRange } from './date-range.js';
import { StatsQueryError } from './parse-query.js';
import type { SqlParams } from './sql-params.js';
import { addDays, addMonths, firstOfMonth, isoWithOffset, mondayOf, offsetMs } from './zoned-time.js';

export const MAX_BUCKETS = 10_000;

export interface Bucket {
  /** The value the SQL expression yields for this bucket (as a string). */
  key: string;
  label: string;
}

export function granularityOf(dimension: TimeDimension, range: ResolvedRange): Granularity {
  const g = dimension === 'time' ? range.defaultGranularity : (dimension.slice(5) as Granularity);
  if (g === 'minute' && !range.realtime) throw new StatsQueryError('dimensions: time:minute is offered for the realtime range only');
  return g;
}

/**
 * Minute and hour buckets count fixed steps from their origin, the start of the minute or local hour the range starts
 * in (a day range starts at local midnight; the realtime range 30 minutes ago): DST moves local clocks by whole hours,
 * so steps stay aligned.
 */
function origin(g: Granularity, range: ResolvedRange, tz: string): number {
  if (g === 'minute') return Math.floor(range.start / 60_000) * 60_000;
  const offset = offsetMs(range.start, tz);
  return Math.floor((range.start + offset) / 3_600_000) * 3_600_000 - offset;
}

const STEP_MS = { minute: 60_000, hour: 3_600_000 } as const;

/** SQL that maps the DateTime64 expression `tsExpr` to its bucket key (as String). */
export function bucketSql(g: Granularity, range: ResolvedRange, tz: string, tsExpr: string, params: SqlParams): string {
  if (g === 'minute' || g === 'hour') {
    return `toString(intDiv(toUnixTimestamp64Milli(${tsExpr}) - ${params.add(origin(g, range, tz), 'Int64')}, ${STEP_MS[g]}))`;
  }
  const zone = params.add(tz, 'String');
  if (g === 'day') return `toString(toDate(${tsExpr}, ${zone}))`;
  if (g === 'week') return `toString(toMonday(${tsExpr}, ${zone}))`;
  return `toString(toStartOfMonth(${tsExpr}, ${zone}))`;
}

/** Every bucket of the range in order, empty or not. */
export function bucketsOf(g: Granularity, range: ResolvedRange, tz: string): Bucket[] {
  const out: Bucket[] = [];
  const push = (key: string, label: string) => {
    if (out.length >= MAX_BUCKETS) throw new StatsQueryError(`dimensions: more than ${MAX_BUCKETS} time buckets; choose a coarser time dimension or a shorter range`);
    out.push({ key, label });
  };
  if (g === 'minute' || g === 'hour') {
    const o = origin(g, range, tz);
    for (let i = 0; o + i * STEP_MS[g] < range.end; i++) push(String(i), isoWithOffset(o + i * STEP_MS[g], tz));
    return out;
  }
  if (g === 'day') {
    for (let d = range.firstDay; d <= range.lastDay; d = addDays(d, 1)) push(d, d);
  } else if (g === 'week') {
    for (let d = mondayOf(range.firstDay); d <= range.lastDay; d = addDays(d, 7)) push(d, d);
  } else {
    for (let d = firstOfMonth(range.firstDay); d <= range.lastDay; d = addMonths(d, 1)) push(d, d);
  }
  return out;
}
