// Downloads every row of a breakdown as CSV.
import { useState } from 'react';
import { downloadCsv } from '../lib/csv.js';
import { csvFileName, panelCsv, type PanelContext, type PanelTab } from '../lib/panel-data.js';

export function ExportButton({ ctx, tab }: { ctx: PanelContext; tab: PanelTab }) {
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const run = async () => {
    setState('busy');
    try {
      downloadCsv(csvFileName(ctx, tab), await panelCsv(ctx, tab));
      setState('idle');
    } catch {
      setState('failed');
    }
  };
  return (
    <button className="button-small" onClick={run} disabled={state === 'busy'} title={`Download ${tab.label} as CSV`} aria-label={`Export ${tab.label} as CSV`}>
      {state === 'busy' ? 'Exporting…' : state === 'failed' ? 'Export failed, retry' : 'CSV'}
    </button>
  );
}
