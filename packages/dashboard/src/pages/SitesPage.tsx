// The signed-in user's sites, each with its visitors of the last 30 days and a sparkline.
import { useEffect, useState } from 'react';
import { api, type Site } from '../lib/api.js';
import { formatNumber } from '../lib/format.js';
import { useStats } from '../lib/use-stats.js';
import { Link } from '../components/Link.js';
import { Notice } from '../components/Notice.js';
import { Skeleton } from '../components/Skeleton.js';
import { Sparkline } from '../components/Sparkline.js';

function SiteCard({ site }: { site: Site }) {
  const series = useStats({ site_id: site.id, date_range: '30d', metrics: ['visitors'], dimensions: ['time:day'] });
  const total = useStats({ site_id: site.id, date_range: '30d', metrics: ['visitors'] });
  const values = series.data?.results.map((r) => r.metrics[0]!) ?? [];
  const visitors = total.data?.results[0]?.metrics[0];
  return (
    <li>
      <Link to={`/sites/${site.id}`} className="card site-card">
        <div className="site-card-head">
          <span className="site-avatar" aria-hidden="true">
            {(site.name.trim()[0] ?? '?').toUpperCase()}
          </span>
          <strong className="truncate">{site.name}</strong>
        </div>
        <span className="muted truncate">{site.domain}</span>
        <div className="site-card-figures">
          <span>
            {visitors === undefined ? <Skeleton width={48} height={22} /> : <b className="site-card-number">{formatNumber(visitors)}</b>}
            <span className="muted small"> visitors · 30 days</span>
          </span>
          {series.data ? <Sparkline values={values} label={`Daily visitors of ${site.name}, last 30 days`} /> : <Skeleton width={160} height={40} />}
        </div>
        {(series.error || total.error) && <span className="form-error small">{series.error ?? total.error}</span>}
      </Link>
    </li>
  );
}

export function SitesPage() {
  const [sites, setSites] = useState<Site[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ sites: Site[] }>('/api/sites').then(
      (r) => setSites(r.sites),
      (err: Error) => setError(err.message),
    );
  }, []);

  return (
    <section className="page">
      <div className="page-head">
        <h1>Sites</h1>
        <Link to="/sites/new" className="button-primary">
          + Add site
        </Link>
      </div>
      {error && <Notice tone="error" title="Your sites could not be loaded">{error} Reload the page to try again.</Notice>}
      {!sites && !error && (
        <ul className="site-grid" aria-busy="true">
          {[0, 1, 2].map((i) => (
            <li key={i}>
              <div className="card site-card">
                <Skeleton width="60%" height={18} />
                <Skeleton width="40%" />
                <Skeleton height={40} />
              </div>
            </li>
          ))}
        </ul>
      )}
      {sites && sites.length === 0 && (
        <Notice tone="empty" title="No sites yet">
          Add your first site to get the tracking snippet: <Link to="/sites/new">add a site</Link>.
        </Notice>
      )}
      {sites && sites.length > 0 && (
        <ul className="site-grid">
          {sites.map((s) => (
            <SiteCard key={s.id} site={s} />
          ))}
        </ul>
      )}
    </section>
  );
}
