// The headline figures with their change against the previous period; clicking one puts it on the chart.
import type { StatsResponse } from '../lib/api.js';
import { CHART_METRICS, type ChartMetric } from '../lib/dashboard-state.js';
import { formatChange, formatMetric } from '../lib/format.js';
import { Skeleton } from './Skeleton.js';

export const METRIC_LABELS: Record<ChartMetric, string> = {
  visitors: 'Visitors',
  visits: 'Visits',
  pageviews: 'Pageviews',
  views_per_visit: 'Views per visit',
  bounce_rate: 'Bounce rate',
  visit_duration: 'Visit duration',
};

export function KpiCards({ data, error, selected, onSelect, compare }: { data?: StatsResponse; error?: string; selected: ChartMetric; onSelect: (m: ChartMetric) => void; compare: boolean }) {
  const row = data?.results[0];
  return (
    <div className="kpis" role="group" aria-label="Key figures">
      {CHART_METRICS.map((m, i) => {
        const value = row?.metrics[i] ?? (data ? 0 : undefined);
        const change = formatChange(m, row?.comparison?.change[i] ?? null);
        return (
          <button key={m} className={`kpi ${selected === m ? 'kpi-selected' : ''}`} aria-pressed={selected === m} onClick={() => onSelect(m)} data-metric={m}>
            <span className="kpi-label">{METRIC_LABELS[m]}</span>
            <span className="kpi-value" data-testid={`kpi-${m}`}>
              {value === undefined ? error ? '–' : <Skeleton width={64} height={26} /> : formatMetric(m, value)}
            </span>
            {compare && (
              <span className={`kpi-change tone-${change.tone}`} title={change.title}>
                {value === undefined ? error ? '–' : <Skeleton width={36} height={14} /> : change.text}
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}
