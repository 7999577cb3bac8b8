// A shared dashboard (/share/:token, optionally behind a password) or a public one (/public/:siteId): read-only,
// no account needed; ?embed=1 drops the frame for iframes.
import { useEffect, useState, type FormEvent } from 'react';
import { api, setShareCredentials, type SharedSite } from '../lib/api.js';
import { useLocation } from '../lib/router.js';
import { Logo, ThemeToggle } from '../components/Layout.js';
import { Notice } from '../components/Notice.js';
import { SiteDashboard } from './SiteDashboard.js';

type State = { kind: 'loading' } | { kind: 'password'; error?: string } | { kind: 'ready'; site: SharedSite } | { kind: 'error'; message: string };

const grantKey = (token: string) => `eesee-share-grant:${token}`;

export function SharedPage({ token, publicSiteId }: { token?: string; publicSiteId?: number }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const embed = new URLSearchParams(useLocation().search).get('embed') === '1';

  const open = async () => {
    try {
      if (publicSiteId !== undefined) {
        setShareCredentials(`public:${publicSiteId}`);
        const { site } = await api<{ site: SharedSite }>(`/api/public/${publicSiteId}`);
        return setState({ kind: 'ready', site });
      }
      const grant = sessionStorage.getItem(grantKey(token!)) ?? undefined;
      setShareCredentials(token!, grant);
      const info = await api<{ site?: SharedSite; password_required: boolean }>(`/api/share/${encodeURIComponent(token!)}`);
      setState(info.password_required || !info.site ? { kind: 'password' } : { kind: 'ready', site: info.site });
    } catch (err) {
      setState({ kind: 'error', message: (err as Error).message });
    }
  };
  useEffect(() => {
    void open();
    return () => setShareCredentials(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- opened once per link
  }, [token, publicSiteId]);

  const unlock = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get('password') ?? '');
    try {
      const { grant } = await api<{ grant: string }>(`/api/share/${encodeURIComponent(token!)}/unlock`, { body: { password } });
      sessionStorage.setItem(grantKey(token!), grant);
      await open();
    } catch (err) {
      setState({ kind: 'password', error: (err as Error).message });
    }
  };

  let body: React.ReactNode;
  if (state.kind === 'loading') body = <div className="boot" aria-busy="true" />;
  else if (state.kind === 'error')
    body = (
      <Notice tone="error" title="This dashboard cannot be shown">
        {state.message} Ask whoever shared it for a new link.
      </Notice>
    );
  else if (state.kind === 'password')
    body = (
      <form className="card auth-card" onSubmit={unlock}>
        <h1>This dashboard is protected</h1>
        <label>
          Password
          <input name="password" type="password" required autoFocus autoComplete="current-password" />
        </label>
        {state.error && (
          <p className="form-error" role="alert">
            {state.error}
          </p>
        )}
        <button className="button-primary" type="submit">
          Open dashboard
        </button>
      </form>
    );
  else body = <SiteDashboard siteId={state.site.id} shared={state.site} embed={embed} />;

  if (embed) return <main className="content embed">{body}</main>;
  return (
    <div className="layout">
      <header className="topbar">
        <span className="brand">
          <Logo />
          <span>Eesee</span>
          <span className="role-badge">read-only</span>
        </span>
        <ThemeToggle />
      </header>
      <main className="content">{body}</main>
    </div>
  );
}
