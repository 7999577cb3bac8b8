// A breakdown card with tabs (e.g. Pages / Entry / Exit): top rows with share bars, details, CSV export.
import { useState, type FormEvent } from 'react';
import { dimensionLabel } from '../lib/dashboard-state.js';
import { METRIC_COLUMN, panelQuery, type PanelContext, type PanelTab } from '../lib/panel-data.js';
import { useStats } from '../lib/use-stats.js';
import { BarList } from './BarList.js';
import { DetailsModal } from './DetailsModal.js';
import { ExportButton } from './ExportButton.js';
import { Notice } from './Notice.js';
import { Skeleton } from './Skeleton.js';
import { WorldMap } from './WorldMap.js';

const TOP = 9;
const MAP_COUNTRIES = 300;

export interface PanelSpec {
  title: string;
  tabs: PanelTab[];
  /** A tab for event properties: the user names the property. */
  propertyTab?: boolean;
}

function PanelBody({ ctx, tab }: { ctx: PanelContext; tab: PanelTab }) {
  const { data, error, loading } = useStats(panelQuery(ctx, tab, { limit: tab.map ? MAP_COUNTRIES : TOP }));
  if (error) return <Notice tone="error" title="This list could not be loaded">{error.length > 140 ? `${error.slice(0, 140)}…` : error}</Notice>;
  if (!data)
    return (
      <div aria-busy="true">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} height={28} className="skeleton-row" />
        ))}
      </div>
    );
  if (data.results.length === 0) return <Notice tone="empty" title="No data for this selection">Try a longer date range or remove a filter.</Notice>;
  return (
    <div className={loading ? 'is-loading' : ''}>
      {tab.map ? (
        <>
          <WorldMap rows={data.results} onSelect={(c) => ctx.onFilter('country', c)} />
          {data.results.some((r) => r.dimensions[0] === '') && (
            <p className="muted small">
              {data.results.find((r) => r.dimensions[0] === '')!.metrics[0]} visitors with an unknown location (local or private addresses) are not on the map.
            </p>
          )}
        </>
      ) : (
        <>
          <div className="bar-head">
            <span>{dimensionLabel(tab.dimension)}</span>
            {tab.metrics.map((m) => (
              <span key={m}>{METRIC_COLUMN[m] ?? m}</span>
            ))}
          </div>
          <BarList tab={tab} rows={data.results} totalVisitors={ctx.totalVisitors} onFilter={ctx.onFilter} />
        </>
      )}
    </div>
  );
}

export function Panel({ spec, ctx }: { spec: PanelSpec; ctx: PanelContext }) {
  // A property in the URL opens its tab.
  const [active, setActive] = useState(spec.propertyTab && ctx.propKey ? 'props' : spec.tabs[0]!.id);
  const [details, setDetails] = useState(false);
  const propKey = ctx.propKey ?? '';
  // Without a chosen property the tab lists the property names; a click on one shows its values.
  const propTab: PanelTab | undefined = spec.propertyTab
    ? { id: 'props', label: propKey ? `Property ${propKey}` : 'Property names', dimension: propKey ? `event:props:${propKey}` : 'event:props', metrics: ['visitors', 'events'] }
    : undefined;
  const tabs = propTab ? [...spec.tabs, propTab] : spec.tabs;
  const tab = tabs.find((t) => t.id === active) ?? tabs[0]!;
  const panelCtx: PanelContext = { ...ctx, onFilter: (dimension, value) => (dimension === 'event:props' ? ctx.onPropKey?.(value) : ctx.onFilter(dimension, value)) };
  const listTab = tab.map ? { ...tab, id: 'countries', label: 'Countries', map: false } : tab;
  const panelId = `panel-${spec.title.toLowerCase().replace(/\W+/g, '-')}`;

  const chooseKey = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    ctx.onPropKey?.(String(new FormData(e.currentTarget).get('key') ?? '').trim().slice(0, 64));
  };

  return (
    <section className="card panel" aria-labelledby={`${panelId}-title`}>
      <div className="panel-head">
        <h2 id={`${panelId}-title`}>{spec.title}</h2>
        <div className="tabs" role="tablist">
          {tabs.map((t) => (
            <button key={t.id} role="tab" aria-selected={t.id === tab.id} aria-controls={panelId} className="tab" onClick={() => setActive(t.id)}>
              {t.id === 'props' ? 'Properties' : t.label}
            </button>
          ))}
        </div>
      </div>
      <div id={panelId} role="tabpanel" className="panel-body">
        {tab.id === 'props' && propKey && (
          <button className="button-quiet small" onClick={() => ctx.onPropKey?.('')}>
            ← All property names
          </button>
        )}
        {tab.id === 'props' && (
          <form className="prop-form" onSubmit={chooseKey}>
            <input key={propKey} name="key" defaultValue={propKey} placeholder="property name, e.g. plan" aria-label="Event property name" maxLength={64} />
            <button className="button-small" type="submit">
              Show
            </button>
          </form>
        )}
        <PanelBody key={tab.id + tab.dimension} ctx={panelCtx} tab={tab} />
      </div>
      {(
        <div className="panel-foot">
          <button className="button-small" onClick={() => setDetails(true)}>
            Details
          </button>
          <ExportButton ctx={ctx} tab={listTab} />
        </div>
      )}
      {details && <DetailsModal ctx={panelCtx} tab={listTab} onClose={() => setDetails(false)} />}
    </section>
  );
}
