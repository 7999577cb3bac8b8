// Forgotten password: ask for a reset link by e-mail, then choose a new password from that link.
import { useState, type FormEvent } from 'react';
import { api } from '../lib/api.js';
import { useLocation } from '../lib/router.js';
import { Link } from '../components/Link.js';
import { Logo } from '../components/Layout.js';

function Frame({ children }: { children: React.ReactNode }) {
  return (
    <main className="auth-page">
      <div className="card auth-card">
        <div className="auth-brand">
          <Logo /> <span>Eesee Metrics</span>
        </div>
        {children}
      </div>
    </main>
  );
}

export function ForgotPasswordPage() {
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api('/api/auth/request-password-reset', { body: { email: String(new FormData(e.currentTarget).get('email') ?? '').trim(), redirectTo: '/reset-password' } });
      setSent(true);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Frame>
      <h1>Reset your password</h1>
      {sent ? (
        <p role="status">If an account uses that address, a link to choose a new password is on its way. It works for one hour.</p>
      ) : (
        <form className="form" onSubmit={submit}>
          <label>
            E-mail
            <input name="email" type="email" required autoComplete="email" autoFocus />
          </label>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button className="button-primary" type="submit">
            Send reset link
          </button>
        </form>
      )}
      <p className="muted">
        <Link to="/login">Back to sign in</Link>
      </p>
    </Frame>
  );
}

export function ResetPasswordPage() {
  const params = new URLSearchParams(useLocation().search);
  const token = params.get('token');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | undefined>(params.get('error') ? 'This reset link is invalid or has expired; ask for a new one.' : undefined);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const password = String(f.get('password') ?? '');
    if (password !== String(f.get('again') ?? '')) return setError('The two passwords differ.');
    if (password.length < 8) return setError('The password needs at least 8 characters.');
    try {
      await api('/api/auth/reset-password', { body: { newPassword: password, token } });
      setDone(true);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Frame>
      <h1>Choose a new password</h1>
      {done ? (
        <p role="status">
          Your password is changed and every other login has been signed out. <Link to="/login">Sign in</Link>.
        </p>
      ) : token ? (
        <form className="form" onSubmit={submit}>
          <label>
            New password
            <input name="password" type="password" required minLength={8} autoComplete="new-password" autoFocus />
          </label>
          <label>
            New password again
            <input name="again" type="password" required minLength={8} autoComplete="new-password" />
          </label>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button className="button-primary" type="submit">
            Set password
          </button>
        </form>
      ) : (
        <p className="form-error" role="alert">
          {error ?? 'This page needs the link from the reset e-mail.'} <Link to="/forgot-password">Ask for a new link</Link>.
        </p>
      )}
    </Frame>
  );
}
