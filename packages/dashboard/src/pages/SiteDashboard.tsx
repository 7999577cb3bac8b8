// A site's dashboard: period and filters from the URL, key figures, the chart, breakdown panels, live visitors.
import { useEffect, useMemo, useState } from 'react';
import { type SharedSite, type StatsQuery } from '../lib/api.js';
import { CHART_METRICS, dateRangeOf, filtersForQuery, parseState, stateToSearch, withFilter, withoutFilter, type DashboardState } from '../lib/dashboard-state.js';
import type { PanelContext } from '../lib/panel-data.js';
import { navigate, useLocation } from '../lib/router.js';
import { useLoad } from '../lib/use-api.js';
import { useLive } from '../lib/use-live.js';
import { useStats } from '../lib/use-stats.js';
import { DateRangePicker } from '../components/DateRangePicker.js';
import { FilterChips } from '../components/FilterChips.js';
import { KpiCards, METRIC_LABELS } from '../components/KpiCards.js';
import { Link } from '../components/Link.js';
import { LiveCounter } from '../components/LiveCounter.js';
import { Notice } from '../components/Notice.js';
import { Panel, type PanelSpec } from '../components/Panel.js';
import { Skeleton } from '../components/Skeleton.js';
import { TimeChart } from '../components/TimeChart.js';

const V = ['visitors'];

const PANELS: PanelSpec[] = [
  {
    title: 'Pages',
    tabs: [
      { id: 'page', label: 'Top pages', dimension: 'page', metrics: ['visitors', 'pageviews'] },
      { id: 'entry', label: 'Entry', dimension: 'entry_page', metrics: V },
      { id: 'exit', label: 'Exit', dimension: 'exit_page', metrics: V },
    ],
  },
  {
    title: 'Sources',
    tabs: [
      { id: 'source', label: 'Sources', dimension: 'source', metrics: V },
      { id: 'channel', label: 'Channels', dimension: 'channel', metrics: V },
      { id: 'referrer', label: 'Referrers', dimension: 'referrer', metrics: V },
      { id: 'utm_source', label: 'UTM source', dimension: 'utm_source', metrics: V },
      { id: 'utm_medium', label: 'Medium', dimension: 'utm_medium', metrics: V },
      { id: 'utm_campaign', label: 'Campaign', dimension: 'utm_campaign', metrics: V },
    ],
  },
  {
    title: 'Locations',
    tabs: [
      { id: 'map', label: 'Map', dimension: 'country', metrics: V, map: true },
      { id: 'country', label: 'Countries', dimension: 'country', metrics: V },
      { id: 'region', label: 'Regions', dimension: 'region', metrics: V },
      { id: 'city', label: 'Cities', dimension: 'city', metrics: V },
    ],
  },
  {
    title: 'Devices',
    tabs: [
      { id: 'browser', label: 'Browsers', dimension: 'browser', metrics: V },
      { id: 'os', label: 'OS', dimension: 'os', metrics: V },
      { id: 'device', label: 'Devices', dimension: 'device', metrics: V },
      { id: 'screen', label: 'Screens', dimension: 'screen', metrics: V },
      { id: 'language', label: 'Languages', dimension: 'language', metrics: V },
    ],
  },
  {
    title: 'Custom events',
    tabs: [
      { id: 'event', label: 'Events', dimension: 'event', metrics: ['visitors', 'events'] },
      { id: 'outbound', label: 'Outbound links', dimension: 'event:props:url', metrics: ['visitors', 'events'], filter: ['is', 'event', ['Outbound Link: Click']] },
      { id: 'download', label: 'Downloads', dimension: 'event:props:url', metrics: ['visitors', 'events'], filter: ['is', 'event', ['File Download']] },
    ],
    propertyTab: true,
  },
];

/** Today's date in the site's zone (the custom range may not go beyond it). */
function todayIn(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

/** Realtime and today refresh by themselves. */
const REFRESH_MS: Partial<Record<string, number>> = { realtime: 15_000, day: 60_000 };

/** A site's dashboard; `shared` is set for share links and public dashboards, which are read-only. */
export function SiteDashboard({ siteId, shared, embed = false }: { siteId: number; shared?: SharedSite; embed?: boolean }) {
  const { pathname, search } = useLocation();
  const state = useMemo(() => parseState(search), [search]);
  // A shared view already knows its site; otherwise it is loaded.
  const loaded = useLoad<SharedSite>(shared ? null : `/api/sites/${siteId}`);
  const site = shared ?? loaded.data;
  const siteError = loaded.error;
  const [tick, setTick] = useState(0);
  const live = useLive(site ? siteId : null);

  useEffect(() => {
    const every = REFRESH_MS[state.period];
    if (!every) return;
    const t = setInterval(() => setTick((n) => n + 1), every);
    return () => clearInterval(t);
  }, [state.period]);

  // An embedded view keeps ?embed=1 while its filters change.
  const update = (next: DashboardState, replace = false) => {
    const query = stateToSearch(next);
    navigate(pathname + (embed ? (query ? `${query}&embed=1` : '?embed=1') : query), { replace });
  };
  const dateRange = dateRangeOf(state);
  const filters = filtersForQuery(state.filters);
  const compare = state.period !== 'realtime' && state.period !== 'all';
  const base = { site_id: siteId, date_range: dateRange, filters };
  const totals = useStats(site ? ({ ...base, metrics: [...CHART_METRICS], ...(compare && { compare: 'previous_period' }) } as StatsQuery) : null, tick);
  const series = useStats(site ? ({ ...base, metrics: [state.metric], dimensions: ['time'], ...(compare && { compare: 'previous_period' }) } as StatsQuery) : null, tick);

  if (siteError) return <Notice tone="error" title="This site cannot be shown">{siteError} <Link to="/">Back to your sites</Link>.</Notice>;

  const ctx: PanelContext = {
    siteId,
    siteDomain: site?.domain ?? 'site',
    dateRange,
    filters,
    totalVisitors: totals.data?.results[0]?.metrics[0],
    onFilter: (dimension, value) => update(withFilter(state, dimension, value)),
    propKey: state.prop,
    onPropKey: (prop) => update({ ...state, prop: prop || undefined }, true),
  };
  const noData = totals.data && (totals.data.results[0]?.metrics[2] ?? 0) === 0 && state.filters.length === 0;
  const range = totals.data?.query.date_range;

  return (
    <section className="page dashboard">
      <div className="site-bar">
        <div className="site-title">
          {!shared && (
            <Link to="/" className="muted" aria-label="All sites">
              ←
            </Link>
          )}
          <h1 className="truncate">{site ? site.name : <Skeleton width={160} height={24} />}</h1>
          {site && <span className="muted truncate hide-narrow">{site.domain}</span>}
        </div>
        <LiveCounter live={live} />
      </div>
      <div className="toolbar">
        {site ? <DateRangePicker state={state} onChange={(s) => update(s)} today={todayIn(site.timezone)} /> : <Skeleton width={180} height={34} />}
        <span className="muted small" title="Days and hours are cut in the site's time zone">
          {Array.isArray(range) ? (range[0] === range[1] ? range[0] : `${range[0]} – ${range[1]}`) : ''}
          {site ? ` · ${site.timezone}` : ''}
        </span>
        {!shared && (
          <span className="toolbar-end">
            <Link to={`/sites/${siteId}/setup`} className="button-quiet small">
              Snippet
            </Link>
            <Link to={`/sites/${siteId}/settings`} className="button-quiet small">
              Settings
            </Link>
          </span>
        )}
      </div>
      <FilterChips filters={state.filters} onRemove={(i) => update(withoutFilter(state, i))} onClear={() => update({ ...state, filters: [] })} />
      {totals.error && (
        <Notice tone="error" title="The figures could not be loaded">
          {totals.error}
          {state.filters.length > 0 ? ' If a filter is the cause, remove it above.' : ' Reload the page to try again.'}
        </Notice>
      )}
      {noData && state.period !== 'all' && (
        <Notice tone="empty" title="No pageviews in this period">
          Pick a longer range above{shared ? '.' : <>, or <Link to={`/sites/${siteId}/setup`}>check the snippet</Link> if you expected visits.</>}
        </Notice>
      )}
      <KpiCards data={totals.data} error={totals.error} selected={state.metric} onSelect={(metric) => update({ ...state, metric }, true)} compare={compare} />
      <div className="card chart-card">
        <TimeChart metric={state.metric} metricLabel={METRIC_LABELS[state.metric]} data={series.data} loading={series.loading} error={series.error} />
        {compare && series.data?.meta.comparison_date_range && (
          <p className="muted small chart-legend">
            <span className="legend-now" /> this period <span className="legend-previous" /> previous period ({series.data.meta.comparison_date_range.join(' – ')})
          </p>
        )}
      </div>
      <div className="panels">
        {site && PANELS.map((spec) => <Panel key={spec.title} spec={spec} ctx={ctx} />)}
      </div>
    </section>
  );
}
