// Numbers as people read them: 1.2k visitors, 3m 20s, 41.5%, +12%.

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  const short = (v: number, unit: string) => {
    const s = v >= 100 ? Math.round(v).toString() : (Math.round(v * 10) / 10).toString();
    return `${sign}${s}${unit}`;
  };
  if (abs < 1000) return Number.isInteger(n) ? String(n) : (Math.round(n * 100) / 100).toString();
  // Round first, so 999,950 reads 1M rather than 1000k.
  if (Math.round(abs / 100) < 10_000) return short(Math.round(abs / 100) / 10, 'k');
  if (Math.round(abs / 100_000) < 10_000) return short(Math.round(abs / 100_000) / 10, 'M');
  return short(Math.round(abs / 100_000_000) / 10, 'B');
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return rest > 0 ? `${m}m ${rest}s` : `${m}m`;
}

export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return `${Math.round(p * 10) / 10}%`;
}

export function formatMoney(v: number): string {
  return Number.isFinite(v) ? v.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '–';
}

export type MetricName = 'visitors' | 'visits' | 'pageviews' | 'views_per_visit' | 'bounce_rate' | 'visit_duration' | 'events' | 'time_on_page' | 'scroll_depth' | 'conversion_rate' | 'revenue';

export function formatMetric(metric: string, value: number): string {
  switch (metric) {
    case 'bounce_rate':
    case 'conversion_rate':
      return formatPercent(value);
    case 'scroll_depth':
      return formatPercent(value);
    case 'visit_duration':
    case 'time_on_page':
      return formatDuration(value);
    case 'views_per_visit':
      return (Math.round(value * 100) / 100).toString();
    case 'revenue':
      return formatMoney(value);
    default:
      return formatNumber(value);
  }
}

/** Metrics where a fall is good news. */
const LOWER_IS_BETTER = new Set(['bounce_rate']);

export interface ChangeView {
  text: string;
  tone: 'good' | 'bad' | 'neutral';
  /** What the change means, for screen readers and tooltips. */
  title: string;
}

/**
 * The comparison badge of a KPI: a relative change in percent, except bounce rate whose change is in percentage points.
 * null (nothing to compare with) shows as a dash.
 */
export function formatChange(metric: string, change: number | null): ChangeView {
  if (change === null || !Number.isFinite(change)) return { text: '–', tone: 'neutral', title: 'no data in the previous period to compare with' };
  const points = metric === 'bounce_rate';
  const rounded = Math.round(change * 10) / 10;
  const magnitude = Math.abs(rounded) >= 10 ? Math.round(Math.abs(rounded)).toString() : Math.abs(rounded).toString();
  const arrow = rounded > 0 ? '↑' : rounded < 0 ? '↓' : '';
  const text = `${arrow}${magnitude}${points ? ' pp' : '%'}`;
  const better = LOWER_IS_BETTER.has(metric) ? rounded < 0 : rounded > 0;
  const tone = rounded === 0 ? 'neutral' : better ? 'good' : 'bad';
  const title = `${rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'unchanged'} ${magnitude}${points ? ' percentage points' : '%'} from the previous period`;
  return { text, tone, title };
}
