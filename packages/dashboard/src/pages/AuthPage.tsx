// Sign in and sign up (Better Auth's email + password routes).
import { useState, type FormEvent } from 'react';
import { api } from '../lib/api.js';
import { useLocation } from '../lib/router.js';
import { Link } from '../components/Link.js';
import { Logo, ThemeToggle } from '../components/Layout.js';

export function AuthPage({ mode, onSignedIn }: { mode: 'login' | 'signup'; onSignedIn: () => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const signup = mode === 'signup';
  // ?next= (where to go after signing in) survives switching between the two forms.
  const { search } = useLocation();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    setError(undefined);
    if (signup && password.length < 8) return setError('The password needs at least 8 characters.');
    setBusy(true);
    try {
      if (signup) await api('/api/auth/sign-up/email', { body: { email, password, name: String(form.get('name') ?? '').trim() || email.split('@')[0] } });
      else await api('/api/auth/sign-in/email', { body: { email, password } });
      onSignedIn();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-page">
      <div className="auth-theme">
        <ThemeToggle />
      </div>
      <form className="card auth-card" onSubmit={submit} noValidate={false}>
        <div className="auth-brand">
          <Logo /> <span>Eesee Metrics</span>
        </div>
        <h1>{signup ? 'Create your account' : 'Sign in'}</h1>
        {signup && (
          <label>
            Name
            <input name="name" autoComplete="name" />
          </label>
        )}
        <label>
          E-mail
          <input name="email" type="email" required autoComplete="email" autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" required minLength={signup ? 8 : undefined} autoComplete={signup ? 'new-password' : 'current-password'} />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="button-primary" type="submit" disabled={busy}>
          {busy ? 'One moment…' : signup ? 'Create account' : 'Sign in'}
        </button>
        {!signup && (
          <p className="muted small">
            <Link to="/forgot-password">Forgot your password?</Link>
          </p>
        )}
        <p className="muted">
          {signup ? (
            <>
              Have an account? <Link to={`/login${search}`}>Sign in</Link>
            </>
          ) : (
            <>
              New here? <Link to={`/signup${search}`}>Create an account</Link>
            </>
          )}
        </p>
      </form>
    </main>
  );
}
