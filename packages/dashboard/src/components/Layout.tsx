// Page frame: header with the product name, theme switch and the signed-in user.
import { useState, type ReactNode } from 'react';
import { api, type User } from '../lib/api.js';
import { currentTheme, setTheme, type Theme } from '../lib/theme.js';
import { navigate } from '../lib/router.js';
import { Link } from './Link.js';

export function ThemeToggle() {
  const [theme, setThemeState] = useState<Theme>(currentTheme);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      className="icon-button"
      onClick={() => {
        setTheme(next);
        setThemeState(next);
      }}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
    >
      {theme === 'dark' ? '☀' : '☾'}
    </button>
  );
}

export function Logo() {
  return (
    <svg width="24" height="24" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path d="M8 22l5-7 4 4 7-10" stroke="white" strokeWidth="3" fill="none" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function Layout({ user, onSignOut, children }: { user: User; onSignOut: () => void; children: ReactNode }) {
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    try {
      await api('/api/auth/sign-out', { method: 'POST', body: {} });
    } finally {
      setBusy(false);
      onSignOut();
      navigate('/login', { replace: true });
    }
  };
  return (
    <div className="layout">
      <header className="topbar">
        <Link to="/" className="brand">
          <Logo />
          <span>Eesee</span>
        </Link>
        <div className="topbar-right">
          <Link to="/account" className="user-email" title="Your account">
            {user.email}
          </Link>
          <ThemeToggle />
          <button className="button-quiet" onClick={signOut} disabled={busy}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
