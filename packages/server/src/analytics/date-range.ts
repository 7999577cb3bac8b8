// Resolves a date_range (preset or [from, to]) into instants in the site's time zone, plus the comparison range.
import type { Granularity } from './catalog.js';
import { StatsQueryError, type DateRangeInput } from './parse-query.js';
import { addDays, addMonths, daysBetween, firstOfMonth, isCalendarDate, localDate, localMidnight } from './zoned-time.js';

export interface ResolvedRange {
  /** Inclusive instant (ms since epoch, UTC). */
  start: number;
  /** Exclusive instant. */
  end: number;
  /** Local dates of the first and last day (for day-based ranges). */
  firstDay: string;
  lastDay: string;
  /** The granularity plain `time` means for this range. */
  defaultGranularity: Granularity;
  realtime: boolean;
}

export const MAX_RANGE_DAYS = 3660;
const REALTIME_MS = 30 * 60_000;

function dayRange(firstDay: string, lastDay: string, tz: string, defaultGranularity?: Granularity): ResolvedRange {
  if (daysBetween(firstDay, lastDay) < 0) throw new StatsQueryError('date_range: the first date is after the last');
  if (daysBetween(firstDay, lastDay) >= MAX_RANGE_DAYS) throw new StatsQueryError(`date_range: at most ${MAX_RANGE_DAYS} days`);
  return {
    start: localMidnight(firstDay, tz),
    end: localMidnight(addDays(lastDay, 1), tz),
    firstDay,
    lastDay,
    defaultGranularity: defaultGranularity ?? (firstDay === lastDay ? 'hour' : 'day'),
    realtime: false,
  };
}

/**
 * `firstEventDay` is only needed for "all" (the local date of the site's first event, if any).
 */
export function resolveDateRange(input: DateRangeInput, tz: string, now: number, firstEventDay?: string): ResolvedRange {
  const today = localDate(now, tz);
  if (Array.isArray(input)) {
    const [from, to] = input;
    if (!isCalendarDate(from) || !isCalendarDate(to)) throw new StatsQueryError('date_range: custom dates must be real dates written YYYY-MM-DD');
    return dayRange(from, to, tz);
  }
  switch (input) {
    case 'realtime':
      return { start: now - REALTIME_MS, end: now + 1, firstDay: localDate(now - REALTIME_MS, tz), lastDay: today, defaultGranularity: 'minute', realtime: true };
    case 'day':
      return dayRange(today, today, tz);
    case 'yesterday': {
      const y = addDays(today, -1);
      return dayRange(y, y, tz);
    }
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
      return dayRange(addMonths(firstOfMonth(today), -11), today, tz, 'month');
    case 'year':
      return dayRange(`${today.slice(0, 4)}-01-01`, today, tz, 'month');
    case 'all': {
      const first = firstEventDay && firstEventDay < today ? firstEventDay : today;
      const r = dayRange(first, today, tz);
      return daysBetween(first, today) > 180 ? { ...r, defaultGranularity: 'month' } : r;
    }
    default:
      throw new StatsQueryError(
        `date_range: unknown "${input}"; use realtime, day, yesterday, 7d, 30d, month, last_month, 12mo, year, all or ["YYYY-MM-DD", "YYYY-MM-DD"]`,
      );
  }
}

/** The range to compare with: the previous period of equal length, or the same dates a year earlier. */
export function comparisonRange(range: ResolvedRange, mode: 'previous_period' | 'year_over_year', tz: string): ResolvedRange {
  if (range.realtime) {
    const length = range.end - range.start;
    const shift = mode === 'previous_period' ? length : 365 * 86_400_000;
    return { ...range, start: range.start - shift, end: range.end - shift };
  }
  if (mode === 'year_over_year') {
    return { ...dayRange(addMonths(range.firstDay, -12), addMonths(range.lastDay, -12), tz), defaultGranularity: range.defaultGranularity };
  }
  const days = daysBetween(range.firstDay, range.lastDay) + 1;
  return { ...dayRange(addDays(range.firstDay, -days), addDays(range.firstDay, -1), tz), defaultGranularity: range.defaultGranularity };
}
