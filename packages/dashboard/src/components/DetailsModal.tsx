// The full list of a breakdown: search (contains), paging, CSV export.
import { useEffect, useRef, useState } from 'react';
import { dimensionLabel } from '../lib/dashboard-state.js';
import { METRIC_COLUMN, panelQuery, type PanelContext, type PanelTab } from '../lib/panel-data.js';
import { useStats } from '../lib/use-stats.js';
import { BarList } from './BarList.js';
import { ExportButton } from './ExportButton.js';
import { Notice } from './Notice.js';
import { Skeleton } from './Skeleton.js';

const PAGE = 20;

export function DetailsModal({ ctx, tab, onClose }: { ctx: PanelContext; tab: PanelTab; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const [input, setInput] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  useEffect(() => {
    dialog.current?.showModal();
    // showModal() focuses the first button (close); the search box is where typing should go.
    searchBox.current?.focus();
  }, []);
  useEffect(() => {
    const t = setTimeout(() => {
      setSearch(input.trim());
      setPage(0);
    }, 250);
    return () => clearTimeout(t);
  }, [input]);
  const { data, error, loading } = useStats(panelQuery(ctx, tab, { limit: PAGE, offset: page * PAGE, search: search || undefined }));
  const total = data?.meta.total_rows ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));

  return (
    <dialog ref={dialog} className="modal" onClose={onClose} aria-labelledby="details-title">
      <div className="modal-head">
        <h2 id="details-title">{tab.label}</h2>
        <button className="icon-button" onClick={() => dialog.current?.close()} aria-label="Close">
          ✕
        </button>
      </div>
      <div className="modal-tools">
        <input ref={searchBox} type="search" placeholder={`Search ${dimensionLabel(tab.dimension).toLowerCase()}…`} value={input} onChange={(e) => setInput(e.target.value)} aria-label={`Search ${dimensionLabel(tab.dimension)}`} />
        <ExportButton ctx={ctx} tab={tab} />
      </div>
      <div className="bar-head">
        <span>{dimensionLabel(tab.dimension)}</span>
        {tab.metrics.map((m) => (
          <span key={m}>{METRIC_COLUMN[m] ?? m}</span>
        ))}
      </div>
      <div className={`modal-body ${loading ? 'is-loading' : ''}`}>
        {error && <Notice tone="error" title="This list could not be loaded">{error}</Notice>}
        {!data && !error && Array.from({ length: 8 }, (_, i) => <Skeleton key={i} height={28} className="skeleton-row" />)}
        {data && data.results.length === 0 && <Notice tone="empty" title={search ? `Nothing contains “${search}”` : 'No data in this period'} />}
        {data && (
          <BarList
            tab={tab}
            rows={data.results}
            totalVisitors={ctx.totalVisitors}
            onFilter={(d, v) => {
              ctx.onFilter(d, v);
              dialog.current?.close();
            }}
          />
        )}
      </div>
      <div className="modal-foot">
        <span className="muted small">
          {total > 0 ? `${page * PAGE + 1}–${Math.min(total, (page + 1) * PAGE)} of ${total.toLocaleString('en')}` : ''}
        </span>
        <span>
          <button className="button-small" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
            ← Previous
          </button>{' '}
          <button className="button-small" disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>
            Next →
          </button>
        </span>
      </div>
    </dialog>
  );
}
