// The period: the Stats API presets, or a custom range of days in the site's zone.
import { useEffect, useState, type FormEvent } from 'react';
import { PERIODS, type DashboardState, type Period } from '../lib/dashboard-state.js';

export function DateRangePicker({ state, onChange, today }: { state: DashboardState; onChange: (s: DashboardState) => void; today: string }) {
  const [custom, setCustom] = useState(state.period === 'custom');
  // Back/forward may change the period under us; the picker follows without being rebuilt (which would drop focus).
  useEffect(() => setCustom(state.period === 'custom'), [state.period]);
  const choose = (value: string) => {
    if (value === 'custom') return setCustom(true);
    setCustom(false);
    onChange({ ...state, period: value as Period, from: undefined, to: undefined });
  };
  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const from = String(form.get('from') ?? '');
    const to = String(form.get('to') ?? '');
    if (!from || !to) return;
    onChange({ ...state, period: 'custom', from: from <= to ? from : to, to: from <= to ? to : from });
  };
  return (
    <div className="range-picker">
      <select aria-label="Date range" value={custom ? 'custom' : state.period} onChange={(e) => choose(e.target.value)}>
        {PERIODS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
        <option value="custom">Custom range…</option>
      </select>
      {custom && (
        <form className="range-custom" onSubmit={apply} key={`${state.from}-${state.to}`}>
          <input type="date" name="from" aria-label="From" defaultValue={state.from} max={today} required />
          <span aria-hidden="true">–</span>
          <input type="date" name="to" aria-label="To" defaultValue={state.to ?? today} max={today} required />
          <button className="button-small" type="submit">
            Apply
          </button>
        </form>
      )}
    </div>
  );
}
