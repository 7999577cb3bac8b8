// An invitation link (/invite/:id): who invites you where, as what; accept or decline.
import { useEffect, useState } from 'react';
import { api } from '../lib/api.js';
import type { Invitation } from '../lib/orgs.js';
import { navigate } from '../lib/router.js';
import { Link } from '../components/Link.js';
import { Notice } from '../components/Notice.js';
import { Skeleton } from '../components/Skeleton.js';

export function InvitePage({ id, email }: { id: string; email: string }) {
  const [inv, setInv] = useState<Invitation>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<Invitation>(`/api/invitations/${encodeURIComponent(id)}`).then(setInv, (err: Error) => setError(err.message));
  }, [id]);

  const answer = async (what: 'accept' | 'decline') => {
    setBusy(true);
    try {
      const done = await api<Invitation>(`/api/invitations/${encodeURIComponent(id)}/${what}`, { method: 'POST', body: {} });
      if (what === 'accept') navigate(`/orgs/${done.organization_id}`);
      else setInv(done);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (error)
    return (
      <section className="page narrow">
        <Notice tone="error" title="This invitation cannot be used">
          {error} You are signed in as {email}. <Link to="/">Go to your sites</Link>.
        </Notice>
      </section>
    );
  if (!inv) return <Skeleton height={160} />;
  return (
    <section className="page narrow">
      <div className="card form">
        <h1>Join {inv.organization_name}</h1>
        <p>
          {inv.inviter_email ?? 'Someone'} invited {inv.email} to <strong>{inv.organization_name}</strong> as <strong>{inv.role}</strong>.
        </p>
        {inv.status === 'pending' ? (
          <div className="form-actions">
            <button className="button-primary" disabled={busy} onClick={() => void answer('accept')}>
              Accept
            </button>
            <button disabled={busy} onClick={() => void answer('decline')}>
              Decline
            </button>
          </div>
        ) : (
          <Notice tone="info" title={`This invitation is ${inv.status}.`}>
            {inv.status === 'expired' ? 'Ask for a new one.' : <Link to="/">Go to your sites</Link>}
          </Notice>
        )}
      </div>
    </section>
  );
}
