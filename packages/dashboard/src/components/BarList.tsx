// Rows of a breakdown: value, share bar and figures; each row filters the dashboard when clicked.
import type { StatsRow } from '../lib/api.js';
import { countryFlag } from '../lib/countries.js';
import { formatMetric, formatPercent } from '../lib/format.js';
import { valueText, type PanelTab } from '../lib/panel-data.js';

export function BarList({ tab, rows, totalVisitors, onFilter }: { tab: PanelTab; rows: StatsRow[]; totalVisitors?: number; onFilter: (dimension: string, value: string) => void }) {
  const first = tab.metrics[0]!;
  const denominator = first === 'visitors' && totalVisitors ? totalVisitors : Math.max(1, ...rows.map((r) => r.metrics[0] ?? 0));
  return (
    <ol className="bar-list">
      {rows.map((r) => {
        const raw = String(r.dimensions[0] ?? '');
        const share = Math.min(1, (r.metrics[0] ?? 0) / denominator);
        const text = valueText(tab.dimension, raw);
        return (
          <li key={raw}>
            <button className="bar-row" onClick={() => onFilter(tab.dimension, raw)} title={`Filter by ${text}`}>
              <span className="bar" style={{ width: `${(share * 100).toFixed(2)}%` }} aria-hidden="true" />
              <span className="bar-label">
                {tab.dimension === 'country' && raw && <span aria-hidden="true">{countryFlag(raw)} </span>}
                <span className="truncate">{text}</span>
              </span>
              {r.metrics.map((v, i) => (
                <span key={i} className="bar-figure" title={i === 0 && first === 'visitors' && totalVisitors ? `${formatPercent(share * 100)} of visitors` : undefined}>
                  {formatMetric(tab.metrics[i]!, v)}
                </span>
              ))}
            </button>
          </li>
        );
      })}
    </ol>
  );
}
