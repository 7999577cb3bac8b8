// Numbers as people read them: 1.2k visitors, 3m 20s, 41.5%, +12%.

const UNITS: [number, string][] = [
  [1e3, 'k'],
  [1e6, 'M'],
  [1e9, 'B'],
];

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  if (abs < 1000) return Number.isInteger(n) ? String(n) : (Math.round(n * 100) / 100).toString();
  const sign = n < 0 ? '-' : '';
  for (let i = 0; i < UNITS.length; i++) {
    const [size, unit] = UNITS[i]!;
    const v = abs / size;
    // Three significant digits at most: 1.2k, 12.3k, 123k.
    const rounded = v >= 100 ? Math.round(v) : Math.round(v * 10) / 10;
    // 999,950 rounds to 1000k: say 1M instead.
    if (rounded < 1000 || i === UNITS.length - 1) return `${sign}${rounded}${unit}`;
  }
  return String(n);
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
  // Rounded on the magnitude, so a fall and a rise of the same size read the same.
  const size = Math.round(Math.abs(change) * 10) / 10;
  const rounded = Math.sign(change) * size;
  const magnitude = size >= 10 ? Math.round(size).toString() : size.toString();
  const arrow = rounded > 0 ? '↑' : rounded < 0 ? '↓' : '';
  const text = `${arrow}${magnitude}${points ? ' pp' : '%'}`;
  const better = LOWER_IS_BETTER.has(metric) ? rounded < 0 : rounded > 0;
  const tone = rounded === 0 ? 'neutral' : better ? 'good' : 'bad';
  const title = `${rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'unchanged'} ${magnitude}${points ? ' percentage points' : '%'} from the previous period`;
  return { text, tone, title };
}
