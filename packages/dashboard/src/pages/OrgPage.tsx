// An organisation: its name and limits, members and their roles, invitations, API keys, and deletion.
import { useState, type FormEvent } from 'react';
import { api, type Site } from '../lib/api.js';
import { can, formatDate, ROLES, type ApiKey, type Invitation, type Member, type Org } from '../lib/orgs.js';
import { navigate } from '../lib/router.js';
import { useAction, useLoad } from '../lib/use-api.js';
import { ShownOnce } from '../components/CopyableCode.js';
import { DeleteZone } from '../components/DeleteZone.js';
import { Link } from '../components/Link.js';
import { Notice } from '../components/Notice.js';
import { Skeleton } from '../components/Skeleton.js';

function General({ org, onChange }: { org: Org; onChange: () => void }) {
  const [error, run] = useAction();
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const limit = String(form.get('limit') ?? '').trim();
    const body: Record<string, unknown> = { name: String(form.get('name') ?? '') };
    if (can.setLimits(org.role)) body.monthly_event_limit = limit === '' ? null : Number(limit);
    if (await run(() => api(`/api/orgs/${org.id}`, { method: 'PATCH', body }))) {
      setSaved(true);
      onChange();
    }
  };
  if (!can.rename(org.role)) return null;
  return (
    <form className="card form" onSubmit={submit} onChange={() => setSaved(false)}>
      <h2>General</h2>
      <label>
        Name
        <input name="name" defaultValue={org.name} required maxLength={100} />
      </label>
      {can.setLimits(org.role) && (
        <label>
          Monthly event limit
          <input name="limit" type="number" min={1} step={1} defaultValue={org.monthly_event_limit ?? ''} placeholder="unlimited" />
          <span className="hint">Events beyond it are refused until the next month (UTC). Empty means unlimited.</span>
        </label>
      )}
      {error && <p className="form-error">{error}</p>}
      <div className="form-actions">
        <button className="button-primary" type="submit">
          Save
        </button>
        {saved && <span className="muted small">Saved.</span>}
      </div>
    </form>
  );
}

function Members({ org, me }: { org: Org; me: string }) {
  const { data, error, reload } = useLoad<{ members: Member[] }>(`/api/orgs/${org.id}/members`);
  const [actionError, run] = useAction();
  const manage = can.manageMembers(org.role);
  const editable = (m: Member) => manage && (org.role === 'owner' || m.role !== 'owner');
  return (
    <section className="card">
      <h2>Members</h2>
      {error && <Notice tone="error" title="Members could not be loaded">{error}</Notice>}
      {!data && !error && <Skeleton height={80} />}
      {data && (
        <table className="table">
          <thead>
            <tr>
              <th>Person</th>
              <th>Role</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.members.map((m) => (
              <tr key={m.id}>
                <td>
                  <span className="truncate">{m.name || m.email}</span>
                  <div className="muted small truncate">{m.email}</div>
                </td>
                <td>
                  {editable(m) && m.user_id !== me ? (
                    <select
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      onChange={(e) => void run(() => api(`/api/orgs/${org.id}/members/${m.id}`, { method: 'PATCH', body: { role: e.target.value } })).then(reload)}
                    >
                      {ROLES.filter((r) => org.role === 'owner' || r !== 'owner').map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span className="role-badge">{m.role}</span>
                  )}
                </td>
                <td className="actions">
                  {m.user_id === me ? (
                    <button
                      className="button-small"
                      onClick={() =>
                        confirm(`Leave ${org.name}? You lose access to its sites.`) &&
                        void run(() => api(`/api/orgs/${org.id}/members/${m.id}`, { method: 'DELETE' })).then((ok) => ok && navigate('/'))
                      }
                    >
                      Leave
                    </button>
                  ) : (
                    editable(m) && (
                      <button className="button-small" onClick={() => confirm(`Remove ${m.email} from ${org.name}?`) && void run(() => api(`/api/orgs/${org.id}/members/${m.id}`, { method: 'DELETE' })).then(reload)}>
                        Remove
                      </button>
                    )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {actionError && <p className="form-error">{actionError}</p>}
      {manage && <Invitations org={org} onChange={reload} />}
    </section>
  );
}

function Invitations({ org, onChange }: { org: Org; onChange: () => void }) {
  const { data, reload } = useLoad<{ invitations: Invitation[] }>(`/api/orgs/${org.id}/invitations`);
  const [error, run] = useAction();
  const [sent, setSent] = useState<string>();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const email = String(form.get('email') ?? '').trim();
    if (await run(() => api(`/api/orgs/${org.id}/invitations`, { body: { email, role: String(form.get('role')) } }))) {
      setSent(email);
      formEl.reset();
      reload();
      onChange();
    }
  };
  const open = data?.invitations.filter((i) => i.status === 'pending' || i.status === 'expired') ?? [];
  return (
    <>
      <h3>Invite someone</h3>
      <form className="inline-form" onSubmit={submit}>
        <input name="email" type="email" placeholder="colleague@example.com" aria-label="E-mail address to invite" required />
        <select name="role" aria-label="Role of the invitee" defaultValue="viewer">
          {ROLES.filter((r) => org.role === 'owner' || r !== 'owner').map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button className="button-primary" type="submit">
          Send invitation
        </button>
      </form>
      {sent && !error && <p className="muted small" role="status">Invitation sent to {sent}. The link is valid for 7 days.</p>}
      {error && <p className="form-error">{error}</p>}
      {open.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Invited</th>
              <th>Role</th>
              <th>Status</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {open.map((i) => (
              <tr key={i.id}>
                <td className="truncate">{i.email}</td>
                <td>{i.role}</td>
                <td>{i.status === 'expired' ? 'expired' : `pending until ${formatDate(i.expires_at)}`}</td>
                <td className="actions">
                  {i.status === 'pending' && (
                    <button className="button-small" onClick={() => void run(() => api(`/api/orgs/${org.id}/invitations/${i.id}`, { method: 'DELETE' })).then(reload)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

const SCOPE_TEXT: Record<string, string> = {
  'stats:read': 'read statistics',
  admin: 'manage sites and sharing',
  ingest: 'send server-side events',
};

function ApiKeys({ org }: { org: Org }) {
  const { data, error, reload } = useLoad<{ api_keys: ApiKey[] }>(`/api/orgs/${org.id}/api-keys`);
  const sites = useLoad<{ sites: Site[] }>('/api/sites');
  const [actionError, run] = useAction();
  const [created, setCreated] = useState<{ name: string; key: string }>();
  const orgSites = sites.data?.sites.filter((s) => s.organization_id === org.id) ?? [];

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const siteIds = form.getAll('site').map(Number);
    const expires = String(form.get('expires') ?? '');
    const body = {
      name: String(form.get('name') ?? ''),
      scopes: form.getAll('scope').map(String),
      site_ids: siteIds.length ? siteIds : null,
      expires_at: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
    };
    let answer: { key: string; name: string } | undefined;
    if (await run(async () => (answer = await api<{ key: string; name: string }>(`/api/orgs/${org.id}/api-keys`, { body })))) {
      setCreated({ name: answer!.name, key: answer!.key });
      formEl.reset();
      reload();
    }
  };

  return (
    <section className="card">
      <h2>API keys</h2>
      <p className="muted small">
        Use a key as <code>Authorization: Bearer …</code> with the Stats API (<code>POST /api/v1/query</code>). Only a hash is stored: a key is shown once.
      </p>
      {created && <ShownOnce what="key" name={created.name} text={created.key} testId="new-api-key" />}
      <form className="form key-form" onSubmit={submit}>
        <div className="key-form-row">
          <label>
            Key name
            <input name="name" required maxLength={100} placeholder="reporting script" />
          </label>
          <label>
            Expires (optional)
            <input name="expires" type="date" min={new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)} />
          </label>
        </div>
        <fieldset>
          <legend>Scopes</legend>
          {Object.entries(SCOPE_TEXT).map(([scope, text]) => (
            <label key={scope} className="check">
              <input type="checkbox" name="scope" value={scope} defaultChecked={scope === 'stats:read'} /> <code>{scope}</code> <span className="muted">{text}</span>
            </label>
          ))}
        </fieldset>
        {orgSites.length > 0 && (
          <fieldset>
            <legend>Sites (none ticked: all sites of the organisation)</legend>
            {orgSites.map((s) => (
              <label key={s.id} className="check">
                <input type="checkbox" name="site" value={s.id} /> {s.name} <span className="muted">{s.domain}</span>
              </label>
            ))}
          </fieldset>
        )}
        <div className="form-actions">
          <button className="button-primary" type="submit">
            Create key
          </button>
        </div>
      </form>
      {actionError && <p className="form-error">{actionError}</p>}
      {error && <Notice tone="error" title="Keys could not be loaded">{error}</Notice>}
      {data && data.api_keys.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Key</th>
              <th>Scopes</th>
              <th>Last used</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.api_keys.map((k) => (
              <tr key={k.id} className={k.revoked_at ? 'revoked' : ''}>
                <td>
                  <span className="truncate">{k.name}</span>
                  <div className="muted small">
                    <code>{k.start}…</code>
                    {k.site_ids ? ` · sites ${k.site_ids.join(', ')}` : ''}
                    {k.expires_at ? ` · expires ${formatDate(k.expires_at)}` : ''}
                  </div>
                </td>
                <td>{k.scopes.join(', ')}</td>
                <td>{k.revoked_at ? `revoked ${formatDate(k.revoked_at)}` : formatDate(k.last_used_at)}</td>
                <td className="actions">
                  {!k.revoked_at && (
                    <button className="button-small" onClick={() => confirm(`Revoke the key “${k.name}”? Scripts using it stop working.`) && void run(() => api(`/api/orgs/${org.id}/api-keys/${k.id}`, { method: 'DELETE' })).then(reload)}>
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

export function OrgPage({ orgId, me }: { orgId: string; me: string }) {
  const { data: org, error, reload } = useLoad<Org>(`/api/orgs/${encodeURIComponent(orgId)}`);
  if (error) return <Notice tone="error" title="This organisation cannot be shown">{error} <Link to="/">Back to your sites</Link>.</Notice>;
  if (!org) return <Skeleton height={200} />;
  return (
    <section className="page narrow">
      <p>
        <Link to="/">← Sites</Link>
      </p>
      <div className="page-head">
        <h1 className="truncate">{org.name}</h1>
        <span className="role-badge">your role: {org.role}</span>
      </div>
      <General org={org} onChange={reload} />
      <Members org={org} me={me} />
      {can.manageKeys(org.role) && <ApiKeys org={org} />}
      {can.deleteOrg(org.role) && (
        <DeleteZone
          title="Delete organisation"
          explanation={`Deletes ${org.name}, all of its sites with their data, its invitations and API keys. This cannot be undone.`}
          confirmWord={org.name}
          confirmLabel="Organisation name, to confirm deletion"
          url={`/api/orgs/${org.id}`}
          onDeleted={() => navigate('/')}
        />
      )}
    </section>
  );
}
