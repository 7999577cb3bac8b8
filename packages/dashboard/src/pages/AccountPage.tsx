// The signed-in person's account: password, e-mail address, logins, and deleting the account.
import { useState, type FormEvent } from 'react';
import { api, type User } from '../lib/api.js';
import { formatDate } from '../lib/orgs.js';
import { useAction, useLoad } from '../lib/use-api.js';
import { navigate } from '../lib/router.js';
import { Link } from '../components/Link.js';
import { Notice } from '../components/Notice.js';

interface Login {
  id: string;
  created_at: string;
  last_active_at: string;
  ip_address: string | null;
  user_agent: string | null;
  current: boolean;
}

function useForm(action: (f: FormData) => Promise<string>) {
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    try {
      setMessage({ ok: true, text: await action(new FormData(formEl)) });
      formEl.reset();
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    }
  };
  const note = message && (
    <p className={message.ok ? 'muted small' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
      {message.text}
    </p>
  );
  return { submit, note };
}

function Logins() {
  const { data, error: loadError, reload } = useLoad<{ sessions: Login[] }>('/api/account/sessions');
  const logins = data?.sessions;
  const [actionError, run] = useAction();
  const error = actionError ?? loadError;
  const revoke = (id: string) => run(() => api(`/api/account/sessions/${id}`, { method: 'DELETE' })).then((ok) => ok && reload());
  return (
    <section className="card">
      <h2>Logins</h2>
      {error && <p className="form-error">{error}</p>}
      {logins && (
        <table className="table">
          <thead>
            <tr>
              <th>Browser</th>
              <th>Last active</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {logins.map((l) => (
              <tr key={l.id}>
                <td>
                  <span className="truncate" title={l.user_agent ?? ''}>
                    {l.user_agent ? l.user_agent.slice(0, 80) : 'unknown browser'}
                  </span>
                  <div className="muted small">
                    {l.ip_address ?? ''} {l.current ? '· this browser' : ''}
                  </div>
                </td>
                <td>{formatDate(l.last_active_at)}</td>
                <td className="actions">
                  {!l.current && (
                    <button className="button-small" onClick={() => void revoke(l.id)}>
                      Sign out
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

function DeleteAccount({ onDeleted }: { onDeleted: () => void }) {
  const orgs = useLoad<{ deletes_organizations: { id: string; name: string; members: number }[] }>('/api/account').data?.deletes_organizations;
  const { submit, note } = useForm(async (f) => {
    if (String(f.get('confirm')) !== 'delete my account') throw new Error('Type “delete my account” to confirm.');
    await api('/api/auth/delete-user', { body: { password: String(f.get('password') ?? '') } });
    onDeleted();
    return 'Deleted.';
  });
  return (
    <section className="card danger form">
      <h2>Delete account</h2>
      <p className="muted small">This signs you out everywhere and cannot be undone.</p>
      {orgs && orgs.length > 0 && (
        <Notice tone="error" title="These organisations go with it, with all their sites and data:">
          {orgs.map((o) => `${o.name} (${o.members} member${o.members === 1 ? '' : 's'})`).join(', ')}. To keep one, make someone else its owner first.
        </Notice>
      )}
      <form className="form" onSubmit={submit}>
        <label>
          Type “delete my account”
          <input name="confirm" autoComplete="off" required />
        </label>
        <label>
          Password
          <input name="password" type="password" required autoComplete="current-password" />
        </label>
        {note}
        <div className="form-actions">
          <button className="button-danger" type="submit">
            Delete my account
          </button>
        </div>
      </form>
    </section>
  );
}

export function AccountPage({ user, onSignedOut }: { user: User; onSignedOut: () => void }) {
  const password = useForm(async (f) => {
    const next = String(f.get('new') ?? '');
    if (next !== String(f.get('again') ?? '')) throw new Error('The two new passwords differ.');
    await api('/api/auth/change-password', { body: { currentPassword: String(f.get('current') ?? ''), newPassword: next, revokeOtherSessions: f.get('others') === 'on' } });
    return 'Password changed.';
  });
  const email = useForm(async (f) => {
    const address = String(f.get('email') ?? '').trim();
    await api('/api/auth/change-email', { body: { newEmail: address, callbackURL: '/account' } });
    return `A confirmation link is on its way to ${address}; the change happens when you open it.`;
  });
  return (
    <section className="page narrow">
      <p>
        <Link to="/">← Sites</Link>
      </p>
      <h1>Your account</h1>
      <form className="card form" onSubmit={password.submit}>
        <h2>Password</h2>
        <label>
          Current password
          <input name="current" type="password" required autoComplete="current-password" />
        </label>
        <label>
          New password
          <input name="new" type="password" required minLength={8} autoComplete="new-password" />
        </label>
        <label>
          New password again
          <input name="again" type="password" required minLength={8} autoComplete="new-password" />
        </label>
        <label className="check">
          <input type="checkbox" name="others" defaultChecked /> Sign out my other logins
        </label>
        {password.note}
        <div className="form-actions">
          <button className="button-primary" type="submit">
            Change password
          </button>
        </div>
      </form>
      <form className="card form" onSubmit={email.submit}>
        <h2>E-mail address</h2>
        <p className="muted small">Now: {user.email}</p>
        <label>
          New address
          <input name="email" type="email" required autoComplete="email" />
        </label>
        {email.note}
        <div className="form-actions">
          <button className="button-primary" type="submit">
            Change address
          </button>
        </div>
      </form>
      <Logins />
      <DeleteAccount
        onDeleted={() => {
          onSignedOut();
          navigate('/login', { replace: true });
        }}
      />
    </section>
  );
}
