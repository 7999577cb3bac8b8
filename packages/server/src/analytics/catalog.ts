// The catalogue of dimensions and metrics: what each is called, whether it belongs to a visit or an event, and its column.

/** Dimensions whose value is the visit's (stamped from its first event on every event of the visit). */
export const VISIT_DIMENSIONS = {
  source: 'source',
  referrer: 'referrer',
  channel: 'channel',
  utm_source: 'utm_source',
  utm_medium: 'utm_medium',
  utm_campaign: 'utm_campaign',
  utm_term: 'utm_term',
  utm_content: 'utm_content',
  country: 'country',
  region: 'region',
  city: 'city',
  browser: 'browser',
  browser_version: 'browser_version',
  os: 'os',
  os_version: 'os_version',
  device: 'device',
  screen: 'screen',
  language: 'language',
} as const;

/** Visit dimensions computed from the visit's pageviews rather than stamped. */
export const VISIT_PAGE_DIMENSIONS = ['entry_page', 'exit_page'] as const;

/** Dimensions whose value belongs to each event. */
export const EVENT_DIMENSIONS = ['page', 'hostname', 'event'] as const;
export const PROPS_PREFIX = 'event:props:';
/** The names of event properties (one row per name, over the named events that carry it). */
export const PROP_KEYS = 'event:props';

export const TIME_DIMENSIONS = ['time', 'time:minute', 'time:hour', 'time:day', 'time:week', 'time:month'] as const;
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];
export type Granularity = 'minute' | 'hour' | 'day' | 'week' | 'month';

export type DimensionKind = 'visit' | 'visit-page' | 'event' | 'prop' | 'prop-keys' | 'time';

export function dimensionKind(name: string): DimensionKind | undefined {
  if (name in VISIT_DIMENSIONS) return 'visit';
  if ((VISIT_PAGE_DIMENSIONS as readonly string[]).includes(name)) return 'visit-page';
  if ((EVENT_DIMENSIONS as readonly string[]).includes(name)) return 'event';
  if (name === PROP_KEYS) return 'prop-keys';
  if (name.startsWith(PROPS_PREFIX) && name.length > PROPS_PREFIX.length && name.length <= PROPS_PREFIX.length + 64) return 'prop';
  if ((TIME_DIMENSIONS as readonly string[]).includes(name)) return 'time';
  return undefined;
}

/** Event metrics count the events that pass the filters; visit metrics describe the selected visits. */
export const METRICS = {
  visitors: { level: 'event', decimals: 0 },
  pageviews: { level: 'event', decimals: 0 },
  events: { level: 'event', decimals: 0 },
  time_on_page: { level: 'event', decimals: 1 },
  scroll_depth: { level: 'event', decimals: 0 },
  revenue: { level: 'event', decimals: 2 },
  conversion_rate: { level: 'event', decimals: 2 },
  visits: { level: 'visit', decimals: 0 },
  views_per_visit: { level: 'visit', decimals: 2 },
  bounce_rate: { level: 'visit', decimals: 1 },
  visit_duration: { level: 'visit', decimals: 0 },
} as const;

export type Metric = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as Metric[];

export function isMetric(name: string): name is Metric {
  return Object.hasOwn(METRICS, name);
}
