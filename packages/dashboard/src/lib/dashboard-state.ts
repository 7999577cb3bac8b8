// What a dashboard shows (period, custom range, filters, chart metric), kept in the URL so views are shareable and the back button works.
import type { StatsFilter } from './api.js';

export const PERIODS = [
  { id: 'realtime', label: 'Realtime (30 min)', key: 'r' },
  { id: 'day', label: 'Today', key: 'd' },
  { id: 'yesterday', label: 'Yesterday', key: 'e' },
  { id: '7d', label: 'Last 7 days', key: 'w' },
  { id: '30d', label: 'Last 30 days', key: 't' },
  { id: 'month', label: 'This month', key: 'm' },
  { id: 'last_month', label: 'Last month', key: 'l' },
  { id: 'year', label: 'This year', key: 'y' },
  { id: '12mo', label: 'Last 12 months', key: '1' },
  { id: 'all', label: 'All time', key: 'a' },
] as const;

export type PresetPeriod = (typeof PERIODS)[number]['id'];
export type Period = PresetPeriod | 'custom';

export const CHART_METRICS = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];

export const FILTER_OPS = ['is', 'is_not', 'contains', 'contains_not', 'matches', 'matches_not'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface Filter {
  op: FilterOp;
  dimension: string;
  values: string[];
}

export interface DashboardState {
  period: Period;
  /** Custom range, both days inclusive, YYYY-MM-DD in the site's zone. */
  from?: string;
  to?: string;
  filters: Filter[];
  metric: ChartMetric;
  /** The event property shown in the Properties tab. */
  prop?: string;
}

export const DEFAULT_STATE: DashboardState = { period: '30d', filters: [], metric: 'visitors' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DIMENSION = /^[a-z_]+(:[a-z_]+)?$|^event:props:.{1,64}$/;

function isValidDay(s: string | null | undefined): s is string {
  if (!s || !DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** encodeURIComponent, with / : @ left readable (all are safe inside a query value). */
const encodePart = (s: string) => encodeURIComponent(s).replace(/%2F/gi, '/').replace(/%3A/gi, ':').replace(/%40/g, '@');

function decodePart(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** A filter in the URL: `f=is,page,/blog` — op, dimension, then values, each part percent-encoded (so commas in values survive). */
export function encodeFilter(f: Filter): string {
  return [f.op, f.dimension, ...f.values].map(encodePart).join(',');
}

export function decodeFilter(raw: string): Filter | null {
  const parts = raw.split(',').map(decodePart);
  if (parts.length < 3 || parts.some((p) => p === null)) return null;
  const [op, dimension, ...values] = parts as string[];
  if (!(FILTER_OPS as readonly string[]).includes(op!) || !DIMENSION.test(dimension!) || dimension!.startsWith('time')) return null;
  return { op: op as FilterOp, dimension: dimension!, values };
}

/** Reads the state from a query string; anything malformed falls back to the default for that part. */
export function parseState(search: string): DashboardState {
  const state: DashboardState = { ...DEFAULT_STATE, filters: [] };
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const raw = eq < 0 ? '' : pair.slice(eq + 1);
    if (key === 'f') {
      const f = decodeFilter(raw);
      if (f && !state.filters.some((g) => g.dimension === f.dimension && g.op === f.op)) state.filters.push(f);
      continue;
    }
    const value = decodePart(raw);
    if (value === null) continue;
    if (key === 'period' && (value === 'custom' || PERIODS.some((p) => p.id === value))) state.period = value as Period;
    else if (key === 'from' && isValidDay(value)) state.from = value;
    else if (key === 'to' && isValidDay(value)) state.to = value;
    else if (key === 'metric' && (CHART_METRICS as readonly string[]).includes(value)) state.metric = value as ChartMetric;
    else if (key === 'prop' && value.length >= 1 && value.length <= 64) state.prop = value;
  }
  if (state.period === 'custom') {
    if (!state.from || !state.to) return { ...state, period: DEFAULT_STATE.period, from: undefined, to: undefined };
    if (state.from > state.to) [state.from, state.to] = [state.to, state.from];
  } else {
    delete state.from;
    delete state.to;
  }
  return state;
}

/** The query string for a state; defaults are left out so plain links stay short. */
export function stateToSearch(state: DashboardState): string {
  const parts: string[] = [];
  if (state.period !== DEFAULT_STATE.period) parts.push(`period=${state.period}`);
  if (state.period === 'custom' && state.from && state.to) parts.push(`from=${state.from}`, `to=${state.to}`);
  for (const f of state.filters) parts.push(`f=${encodeFilter(f)}`);
  if (state.metric !== DEFAULT_STATE.metric) parts.push(`metric=${state.metric}`);
  if (state.prop) parts.push(`prop=${encodePart(state.prop)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export function dateRangeOf(state: DashboardState): string | [string, string] {
  return state.period === 'custom' && state.from && state.to ? [state.from, state.to] : state.period;
}

export function filtersForQuery(filters: Filter[]): StatsFilter[] {
  return filters.map((f) => [f.op, f.dimension, f.values]);
}

/** Clicking a row filters by it; a second click on another row of the same dimension replaces the first. */
export function withFilter(state: DashboardState, dimension: string, value: string, op: FilterOp = 'is'): DashboardState {
  const others = state.filters.filter((f) => f.dimension !== dimension);
  return { ...state, filters: [...others, { op, dimension, values: [value] }] };
}

export function withoutFilter(state: DashboardState, index: number): DashboardState {
  return { ...state, filters: state.filters.filter((_, i) => i !== index) };
}

const DIMENSION_LABELS: Record<string, string> = {
  page: 'Page',
  entry_page: 'Entry page',
  exit_page: 'Exit page',
  hostname: 'Hostname',
  source: 'Source',
  referrer: 'Referrer',
  channel: 'Channel',
  utm_source: 'UTM source',
  utm_medium: 'UTM medium',
  utm_campaign: 'UTM campaign',
  utm_term: 'UTM term',
  utm_content: 'UTM content',
  country: 'Country',
  region: 'Region',
  city: 'City',
  browser: 'Browser',
  browser_version: 'Browser version',
  os: 'OS',
  os_version: 'OS version',
  device: 'Device',
  screen: 'Screen',
  language: 'Language',
  event: 'Event',
};

export function dimensionLabel(dimension: string): string {
  if (dimension === 'event:props:url') return 'Link';
  if (dimension === 'event:props') return 'Property name';
  if (dimension.startsWith('event:props:')) return `Property ${dimension.slice('event:props:'.length)}`;
  return DIMENSION_LABELS[dimension] ?? dimension;
}

const OP_LABELS: Record<FilterOp, string> = {
  is: 'is',
  is_not: 'is not',
  contains: 'contains',
  contains_not: 'does not contain',
  matches: 'matches',
  matches_not: 'does not match',
};

export const opLabel = (op: FilterOp) => OP_LABELS[op];
