// Active filters as removable chips.
import { dimensionLabel, opLabel, type Filter } from '../lib/dashboard-state.js';
import { valueText } from '../lib/panel-data.js';

export function FilterChips({ filters, onRemove, onClear }: { filters: Filter[]; onRemove: (index: number) => void; onClear: () => void }) {
  if (filters.length === 0) return null;
  return (
    <div className="chips" aria-label="Filters">
      {filters.map((f, i) => {
        const text = `${dimensionLabel(f.dimension)} ${opLabel(f.op)} ${f.values.map((v) => valueText(f.dimension, v)).join(' or ')}`;
        return (
          <span key={`${f.dimension}-${f.op}`} className="chip" data-testid="filter-chip">
            <span className="truncate">{text}</span>
            <button className="chip-remove" onClick={() => onRemove(i)} aria-label={`Remove filter: ${text}`}>
              ✕
            </button>
          </span>
        );
      })}
      {filters.length > 1 && (
        <button className="button-quiet small" onClick={onClear}>
          Clear all
        </button>
      )}
    </div>
  );
}
