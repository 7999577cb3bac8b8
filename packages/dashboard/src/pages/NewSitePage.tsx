// Add a site: name, domain and time zone; then on to its snippet.
import { useMemo, useState, type FormEvent } from 'react';
import { api, type Site } from '../lib/api.js';
import { navigate, useLocation } from '../lib/router.js';
import { can, useOrgs } from '../lib/orgs.js';
import { Link } from '../components/Link.js';

export function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return supported.includes('UTC') ? supported : ['UTC', ...supported];
}

export function NewSitePage() {
  const zones = useMemo(timeZones, []);
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { orgs } = useOrgs();
  const allowed = orgs?.filter((o) => can.addSites(o.role)) ?? [];
  const wanted = new URLSearchParams(useLocation().search).get('org');

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    // People paste URLs; the server wants the host name.
    const domain = String(form.get('domain') ?? '')
      .trim()
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/[/?#].*$/, '');
    setBusy(true);
    setError(undefined);
    try {
      const org = form.get('organization_id');
      const site = await api<Site>('/api/sites', {
        body: { name: String(form.get('name') ?? '').trim() || domain, domain, timezone: String(form.get('timezone')), ...(org ? { organization_id: String(org) } : {}) },
      });
      navigate(`/sites/${site.id}/setup`);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <section className="page narrow">
      <p>
        <Link to="/">← Sites</Link>
      </p>
      <form className="card form" onSubmit={submit}>
        <h1>Add a site</h1>
        <label>
          Domain
          <input name="domain" required placeholder="example.com" autoFocus autoComplete="off" spellCheck={false} />
          <span className="hint">Without https://. Subdomains and other host names can be allowed later.</span>
        </label>
        <label>
          Name
          <input name="name" placeholder="My website" autoComplete="off" />
        </label>
        {allowed.length > 1 && (
          <label>
            Organisation
            <select name="organization_id" defaultValue={allowed.some((o) => o.id === wanted) ? wanted! : allowed[0]!.id}>
              {allowed.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {allowed.length === 1 && <input type="hidden" name="organization_id" value={allowed[0]!.id} />}
        <label>
          Time zone
          <select name="timezone" defaultValue={zones.includes(browserZone) ? browserZone : 'UTC'}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
          <span className="hint">Days and hours in reports are cut in this zone.</span>
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="button-primary" type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add site'}
        </button>
      </form>
    </section>
  );
}
