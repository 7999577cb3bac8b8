// A site's settings: name, domain, time zone, tracking rules, sharing (public dashboard, share links) and deletion.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, type Site } from '../lib/api.js';
import { can, formatDate, useOrgs } from '../lib/orgs.js';
import { navigate } from '../lib/router.js';
import { CopyableCode, ShownOnce } from '../components/CopyableCode.js';
import { DeleteZone } from '../components/DeleteZone.js';
import { useAction, useLoad } from '../lib/use-api.js';
import { Link } from '../components/Link.js';
import { Notice } from '../components/Notice.js';
import { Skeleton } from '../components/Skeleton.js';
import { timeZones } from './NewSitePage.js';

interface Share {
  id: string;
  name: string;
  has_password: boolean;
  show_replays: boolean;
  show_user_ids: boolean;
  show_errors: boolean;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const lines = (v: FormDataEntryValue | null) =>
  String(v ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

function General({ site, editable, onSaved }: { site: Site; editable: boolean; onSaved: (s: Site) => void }) {
  const zones = useMemo(timeZones, []);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setError(undefined);
    try {
      const next = await api<Site>(`/api/sites/${site.id}`, {
        method: 'PATCH',
        body: {
          name: String(f.get('name') ?? ''),
          domain: String(f.get('domain') ?? ''),
          timezone: String(f.get('timezone') ?? ''),
          settings: {
            allowedHostnames: lines(f.get('allowedHostnames')),
            excludedIps: lines(f.get('excludedIps')),
            excludedPaths: lines(f.get('excludedPaths')),
            excludedQueryParams: lines(f.get('excludedQueryParams')),
            excludedCountries: lines(f.get('excludedCountries')).map((c) => c.toUpperCase()),
            trailingSlashMerge: f.get('trailingSlashMerge') === 'on',
            hashRouting: f.get('hashRouting') === 'on',
            botFiltering: f.get('botFiltering') === 'on',
            sessionTimeoutMinutes: Number(f.get('sessionTimeoutMinutes')),
            retentionDays: String(f.get('retentionDays') ?? '').trim() === '' ? null : Number(f.get('retentionDays')),
          },
        },
      });
      onSaved(next);
      setSaved(true);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const s = site.settings;
  return (
    <form className="card form" onSubmit={submit} onChange={() => setSaved(false)}>
      <fieldset disabled={!editable} className="plain">
        <h2>Site</h2>
        <label>
          Name
          <input name="name" defaultValue={site.name} required maxLength={100} />
        </label>
        <label>
          Domain
          <input name="domain" defaultValue={site.domain} required spellCheck={false} />
        </label>
        <label>
          Time zone
          <select name="timezone" defaultValue={site.timezone}>
            {zones.map((z) => (
              <option key={z}>{z}</option>
            ))}
          </select>
          <span className="hint">Days and hours in the dashboard and reports are cut in this zone.</span>
        </label>
        <h2>Tracking rules</h2>
        <p className="muted small">Changes reach ingestion within seconds.</p>
        <label>
          Other allowed host names (one per line)
          <textarea name="allowedHostnames" defaultValue={s.allowedHostnames.join('\n')} rows={3} placeholder={`*.${site.domain}\nstaging.example.com`} />
          <span className="hint">Empty: events from any host count. With entries: only {site.domain} and these; *.example.com allows all subdomains.</span>
        </label>
        <label>
          Excluded IP addresses or ranges (one per line)
          <textarea name="excludedIps" defaultValue={s.excludedIps.join('\n')} rows={3} placeholder={'203.0.113.7\n10.0.0.0/8'} />
        </label>
        <label>
          Excluded paths (one glob per line)
          <textarea name="excludedPaths" defaultValue={s.excludedPaths.join('\n')} rows={3} placeholder={'/admin/**\n/preview/*'} />
          <span className="hint">* matches within a segment, ** across segments.</span>
        </label>
        <label>
          Excluded countries (two-letter codes, one per line)
          <textarea name="excludedCountries" defaultValue={s.excludedCountries.join('\n')} rows={2} placeholder={'DE\nFR'} />
        </label>
        <label>
          Query parameters to strip (one per line)
          <textarea name="excludedQueryParams" defaultValue={s.excludedQueryParams.join('\n')} rows={2} placeholder={'token\nsession'} />
        </label>
        <label>
          Session timeout (minutes)
          <input name="sessionTimeoutMinutes" type="number" min={1} max={240} defaultValue={s.sessionTimeoutMinutes} required />
        </label>
        <label>
          Keep data for (days)
          <input name="retentionDays" type="number" min={1} max={36500} step={1} defaultValue={s.retentionDays ?? ''} placeholder="forever" />
          <span className="hint">Older events are deleted for good, at once when you save and hourly after. Empty keeps everything.</span>
        </label>
        <label className="check">
          <input type="checkbox" name="trailingSlashMerge" defaultChecked={s.trailingSlashMerge} /> Treat /page and /page/ as one page
        </label>
        <label className="check">
          <input type="checkbox" name="hashRouting" defaultChecked={s.hashRouting} /> Hash routing (#/route is part of the page)
        </label>
        <label className="check">
          <input type="checkbox" name="botFiltering" defaultChecked={s.botFiltering} /> Filter bots
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button className="button-primary" type="submit">
            Save
          </button>
          {saved && (
            <span className="muted small" role="status">
              Saved.
            </span>
          )}
        </div>
      </fieldset>
    </form>
  );
}

function Sharing({ site, editable, onSaved }: { site: Site; editable: boolean; onSaved: (s: Site) => void }) {
  const { data: list, error: loadError, reload } = useLoad<{ shares: Share[] }>(editable ? `/api/sites/${site.id}/shares` : null);
  const shares = list?.shares;
  const [created, setCreated] = useState<{ name: string; url: string }>();
  const [actionError, run] = useAction();
  const error = actionError ?? loadError;
  const publicUrl = `${window.location.origin}/public/${site.id}`;

  const togglePublic = (on: boolean) => run(async () => onSaved(await api<Site>(`/api/sites/${site.id}`, { method: 'PATCH', body: { settings: { publicDashboard: on } } })));
  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const f = new FormData(formEl);
    const password = String(f.get('password') ?? '');
    const ok = await run(async () => {
      const r = await api<{ name: string; url: string }>(`/api/sites/${site.id}/shares`, {
        body: {
          name: String(f.get('name') ?? ''),
          password: password || null,
          show_replays: f.get('show_replays') === 'on',
          show_user_ids: f.get('show_user_ids') === 'on',
          show_errors: f.get('show_errors') === 'on',
        },
      });
      setCreated({ name: r.name, url: r.url });
    });
    if (ok) {
      formEl.reset();
      reload();
    }
  };
  const revoke = (id: string) => run(() => api(`/api/sites/${site.id}/shares/${id}`, { method: 'DELETE' })).then((ok) => ok && reload());

  if (!editable) return null;
  return (
    <section className="card form">
      <h2>Sharing</h2>
      <label className="check">
        <input type="checkbox" checked={site.settings.publicDashboard} onChange={(e) => void togglePublic(e.target.checked)} /> Public dashboard: anyone with the address can view it
      </label>
      {site.settings.publicDashboard && (
        <CopyableCode text={publicUrl} />
      )}
      <h3>Share links</h3>
      <p className="muted small">A secret link to a read-only dashboard, for a client or a team. Add ?embed=1 to show it in an iframe. The link is shown once.</p>
      {created && <ShownOnce what="link" name={created.name} text={created.url} testId="new-share-url" />}
      <form className="inline-form" onSubmit={create}>
        <input name="name" placeholder="Link name, e.g. client board" aria-label="Share link name" required maxLength={100} />
        <input name="password" type="password" placeholder="Password (optional)" aria-label="Share link password" minLength={8} autoComplete="new-password" />
        <button className="button-primary" type="submit">
          Create link
        </button>
        <span className="muted small">The link never shows replays, user ids or raw errors unless you tick them:</span>
        <label className="check">
          <input type="checkbox" name="show_replays" /> replays
        </label>
        <label className="check">
          <input type="checkbox" name="show_user_ids" /> user ids
        </label>
        <label className="check">
          <input type="checkbox" name="show_errors" /> errors
        </label>
      </form>
      {error && <p className="form-error">{error}</p>}
      {shares && shares.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Link</th>
              <th>Last opened</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shares.map((s) => (
              <tr key={s.id} className={s.revoked_at ? 'revoked' : ''}>
                <td>
                  <span className="truncate">{s.name}</span>
                  <div className="muted small">
                    {s.has_password ? 'with password' : 'no password'}
                    {[s.show_replays && 'replays', s.show_user_ids && 'user ids', s.show_errors && 'errors'].filter(Boolean).map((x) => ` · shows ${x}`)}
                  </div>
                </td>
                <td>{s.revoked_at ? `revoked ${formatDate(s.revoked_at)}` : formatDate(s.last_used_at)}</td>
                <td className="actions">
                  {!s.revoked_at && (
                    <button className="button-small" onClick={() => confirm(`Revoke the link “${s.name}”? It stops working at once.`) && void revoke(s.id)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function SiteSettingsPage({ siteId }: { siteId: number }) {
  const [site, setSite] = useState<Site>();
  const [error, setError] = useState<string>();
  const { orgs } = useOrgs();
  useEffect(() => {
    api<Site>(`/api/sites/${siteId}`).then(setSite, (err: Error) => setError(err.message));
  }, [siteId]);
  if (error) return <Notice tone="error" title="This site cannot be shown">{error} <Link to="/">Back to your sites</Link>.</Notice>;
  if (!site || !orgs) return <Skeleton height={240} />;
  const role = orgs.find((o) => o.id === site.organization_id)?.role ?? 'viewer';
  return (
    <section className="page narrow">
      <p>
        <Link to={`/sites/${site.id}`}>← Dashboard</Link>
      </p>
      <div className="page-head">
        <h1 className="truncate">Settings of {site.name}</h1>
        <span className="role-badge">your role: {role}</span>
      </div>
      {!can.addSites(role) && <Notice tone="info" title="Read-only">Your role ({role}) may look at these settings but not change them.</Notice>}
      <General key={site.updated_at} site={site} editable={can.addSites(role)} onSaved={setSite} />
      <Sharing site={site} editable={can.addSites(role)} onSaved={setSite} />
      {can.deleteSites(role) && (
        <DeleteZone
          title="Delete site"
          explanation={`Deletes ${site.name} and all of its events. This cannot be undone.`}
          confirmWord={site.domain}
          confirmLabel="Site domain, to confirm deletion"
          url={`/api/sites/${site.id}`}
          onDeleted={() => navigate('/')}
        />
      )}
    </section>
  );
}
