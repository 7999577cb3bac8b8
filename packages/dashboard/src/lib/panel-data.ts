// What a breakdown panel asks the Stats API for, how its values read, and its CSV export.
import { stats, type StatsFilter, type StatsQuery, type StatsResponse } from './api.js';
import { countryName } from './countries.js';
import { dimensionLabel } from './dashboard-state.js';
import { toCsv } from './csv.js';

export interface PanelTab {
  id: string;
  label: string;
  dimension: string;
  /** First metric draws the bar and orders the rows. */
  metrics: string[];
  map?: boolean;
  /** A filter only this tab adds (e.g. outbound links are the url property of "Outbound Link: Click"). */
  filter?: StatsFilter;
}

export interface PanelContext {
  siteId: number;
  siteDomain: string;
  dateRange: string | [string, string];
  filters: StatsFilter[];
  /** Visitors of the whole selection: the denominator of each row's share. */
  totalVisitors?: number;
  onFilter: (dimension: string, value: string) => void;
  /** The property of the Properties tab (kept in the URL), and how to change it. */
  propKey?: string;
  onPropKey?: (key: string) => void;
}

export const METRIC_COLUMN: Record<string, string> = { visitors: 'Visitors', pageviews: 'Pageviews', events: 'Events', visits: 'Visits', revenue: 'Revenue' };

export function panelQuery(ctx: PanelContext, tab: PanelTab, opts: { limit: number; offset?: number; search?: string }): StatsQuery {
  const filters = [...ctx.filters, ...(tab.filter ? [tab.filter] : [])];
  if (opts.search) filters.push(['contains', tab.dimension, [opts.search]]);
  return {
    site_id: ctx.siteId,
    date_range: ctx.dateRange,
    metrics: tab.metrics,
    dimensions: [tab.dimension],
    filters,
    order_by: [[tab.metrics[0]!, 'desc']],
    limit: opts.limit,
    offset: opts.offset ?? 0,
  };
}

/** What a row's value reads as; the raw value is what a filter uses. */
/** Direction overrides and isolates (U+202A–202E, U+2066–2069) could make a visitor's text read backwards or spill. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

export function valueText(dimension: string, value: string | number): string {
  const v = String(value).replace(BIDI_CONTROLS, '');
  if (dimension === 'country') return v ? countryName(v) : 'Unknown';
  if (v === '') {
    if (dimension === 'source' || dimension === 'referrer') return 'Direct / none';
    if (dimension.startsWith('utm_')) return '(not set)';
    return '(unknown)';
  }
  return v;
}

const EXPORT_PAGE = 10_000;
const EXPORT_MAX = 200_000;

/** Every row of a tab (paged through the API) as CSV text. */
export async function panelCsv(ctx: PanelContext, tab: PanelTab): Promise<string> {
  const rows: (string | number)[][] = [];
  let total = Infinity;
  for (let offset = 0; offset < Math.min(total, EXPORT_MAX); offset += EXPORT_PAGE) {
    const res: StatsResponse = await stats(panelQuery(ctx, tab, { limit: EXPORT_PAGE, offset }));
    total = res.meta.total_rows;
    for (const r of res.results) {
      const raw = String(r.dimensions[0] ?? '');
      rows.push(tab.dimension === 'country' ? [raw, valueText('country', raw), ...r.metrics] : [raw, ...r.metrics]);
    }
    if (res.results.length < EXPORT_PAGE) break;
  }
  const header = [dimensionLabel(tab.dimension), ...(tab.dimension === 'country' ? ['Country name'] : []), ...tab.metrics.map((m) => METRIC_COLUMN[m] ?? m)];
  return toCsv(header, rows);
}

export function csvFileName(ctx: PanelContext, tab: PanelTab): string {
  const range = Array.isArray(ctx.dateRange) ? ctx.dateRange.join('_') : ctx.dateRange;
  return `${ctx.siteDomain}-${tab.id}-${range}.csv`.replace(/[^\w.-]+/g, '_');
}
