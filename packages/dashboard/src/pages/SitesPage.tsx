// The signed-in user's sites by organisation, each with its visitors of the last 30 days and a sparkline.
import { useState, type FormEvent } from 'react';
import { api, type Site } from '../lib/api.js';
import { formatNumber } from '../lib/format.js';
import { can, useOrgs } from '../lib/orgs.js';
import { useLoad } from '../lib/use-api.js';
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

function NewOrgForm({ onCreated }: { onCreated: () => void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  if (!open)
    return (
      <button className="button-quiet" onClick={() => setOpen(true)}>
        + New organisation
      </button>
    );
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    try {
      await api('/api/orgs', { body: { name: String(new FormData(e.currentTarget).get('name') ?? '') } });
      setOpen(false);
      onCreated();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <input name="name" placeholder="Organisation name" aria-label="Organisation name" required maxLength={100} autoFocus />
      <button className="button-small" type="submit">
        Create
      </button>
      <button className="button-small" type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && <span className="form-error small">{error}</span>}
    </form>
  );
}

export function SitesPage() {
  const { data, error } = useLoad<{ sites: Site[] }>('/api/sites');
  const sites = data?.sites;
  const { orgs, error: orgsError, reload } = useOrgs();
  const failed = error ?? orgsError;

  return (
    <section className="page">
      <div className="page-head">
        <h1>Sites</h1>
        <NewOrgForm onCreated={reload} />
      </div>
      {failed && <Notice tone="error" title="Your sites could not be loaded">{failed} Reload the page to try again.</Notice>}
      {(!sites || !orgs) && !failed && (
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
      {sites &&
        orgs &&
        orgs.map((org) => {
          const own = sites.filter((s) => s.organization_id === org.id);
          return (
            <section key={org.id} className="org-section" aria-label={org.name}>
              <div className="org-head">
                <h2 className="truncate">{org.name}</h2>
                <span className="role-badge">{org.role}</span>
                <Link to={`/orgs/${org.id}`} className="button-quiet small">
                  {can.manageMembers(org.role) ? 'Members & keys' : 'Members'}
                </Link>
                {can.addSites(org.role) && (
                  <Link to={`/sites/new?org=${encodeURIComponent(org.id)}`} className="button-primary org-add">
                    + Add site
                  </Link>
                )}
              </div>
              {own.length === 0 ? (
                <Notice tone="empty" title="No sites yet">
                  {can.addSites(org.role) ? (
                    <>
                      Add a site to get the tracking snippet: <Link to={`/sites/new?org=${encodeURIComponent(org.id)}`}>add a site</Link>.
                    </>
                  ) : (
                    'Ask an admin of this organisation to add one.'
                  )}
                </Notice>
              ) : (
                <ul className="site-grid">
                  {own.map((s) => (
                    <SiteCard key={s.id} site={s} />
                  ))}
                </ul>
              )}
            </section>
          );
        })}
    </section>
  );
}
