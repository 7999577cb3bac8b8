// Active filters as removable chips.
import { useRef } from 'react';
import { dimensionLabel, opLabel, type Filter } from '../lib/dashboard-state.js';
import { valueText } from '../lib/panel-data.js';

export function FilterChips({ filters, onRemove, onClear }: { filters: Filter[]; onRemove: (index: number) => void; onClear: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  if (filters.length === 0) return null;
  // Keyboard users keep their place: focus goes to the next chip, or to the date range when none is left.
  const remove = (i: number) => {
    onRemove(i);
    requestAnimationFrame(() => (box.current?.querySelector<HTMLElement>('.chip-remove') ?? document.querySelector<HTMLElement>('.range-picker select'))?.focus());
  };
  return (
    <div className="chips" aria-label="Filters" ref={box}>
      {filters.map((f, i) => {
        const text = `${dimensionLabel(f.dimension)} ${opLabel(f.op)} ${f.values.map((v) => valueText(f.dimension, v)).join(' or ')}`;
        return (
          <span key={`${f.dimension}-${f.op}`} className="chip" data-testid="filter-chip">
            <span className="truncate">{text}</span>
            <button className="chip-remove" onClick={() => remove(i)} aria-label={`Remove filter: ${text}`}>
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
