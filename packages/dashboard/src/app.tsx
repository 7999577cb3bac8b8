// The app shell: who is signed in, and which page the URL asks for.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, currentUser, type User } from './lib/api.js';
import { matchPath, navigate, useLocation } from './lib/router.js';
import { Layout } from './components/Layout.js';
import { Notice } from './components/Notice.js';
import { AuthPage } from './pages/AuthPage.js';
import { SitesPage } from './pages/SitesPage.js';
import { NewSitePage } from './pages/NewSitePage.js';
import { SetupPage } from './pages/SetupPage.js';
import { SiteDashboard } from './pages/SiteDashboard.js';
import { OrgPage } from './pages/OrgPage.js';
import { InvitePage } from './pages/InvitePage.js';
import { SharedPage } from './pages/SharedPage.js';
import { SiteSettingsPage } from './pages/SiteSettingsPage.js';
import { AccountPage } from './pages/AccountPage.js';
import { ForgotPasswordPage, ResetPasswordPage } from './pages/PasswordResetPages.js';

type Session = { state: 'loading' } | { state: 'out' } | { state: 'in'; user: User } | { state: 'error'; message: string };

export function App() {
  const { pathname } = useLocation();
  // Shared and public dashboards need no account.
  const share = matchPath('/share/:token', pathname);
  if (share) return <SharedPage key={share.token} token={share.token!} />;
  // Password reset works signed in or out.
  if (pathname === '/forgot-password') return <ForgotPasswordPage />;
  if (pathname === '/reset-password') return <ResetPasswordPage />;
  const publicSite = matchPath('/public/:siteId', pathname);
  if (publicSite && /^\d+$/.test(publicSite.siteId!)) return <SharedPage key={publicSite.siteId} publicSiteId={Number(publicSite.siteId)} />;
  // Anything else under /share/ or /public/ is not a dashboard (and is never shown inside the signed-in app there).
  if (/^\/(share|public)(\/|$)/.test(pathname)) {
    return (
      <main className="center-page">
        <Notice tone="error" title="This dashboard link is not valid">
          Check that the whole link was copied, or ask whoever shared it for a new one.
        </Notice>
      </main>
    );
  }
  return <SignedInApp />;
}

function SignedInApp() {
  const { pathname, search } = useLocation();
  const [session, setSession] = useState<Session>({ state: 'loading' });

  const refresh = useCallback(() => {
    currentUser().then(
      (user) => setSession(user ? { state: 'in', user } : { state: 'out' }),
      (err: Error) => setSession(err instanceof ApiError && err.status === 401 ? { state: 'out' } : { state: 'error', message: err.message }),
    );
  }, []);
  useEffect(refresh, [refresh]);

  const isAuthPage = pathname === '/login' || pathname === '/signup';
  useEffect(() => {
    if (session.state === 'out' && !isAuthPage) {
      const next = pathname === '/' ? '' : `?next=${encodeURIComponent(pathname + search)}`;
      // A fresh install has no account yet: its first visitor signs up (and owns the instance).
      api<{ has_accounts?: boolean }>('/api/health').then(
        (h) => navigate(`${h.has_accounts === false ? '/signup' : '/login'}${next}`, { replace: true }),
        () => navigate(`/login${next}`, { replace: true }),
      );
    }
    if (session.state === 'in' && isAuthPage) {
      const next = new URLSearchParams(search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    }
  }, [session.state, isAuthPage, pathname, search]);

  if (session.state === 'loading') return <div className="boot" aria-busy="true" />;
  if (session.state === 'error') {
    return (
      <main className="center-page">
        <Notice tone="error" title="Eesee cannot load">
          {session.message} <button onClick={refresh}>Try again</button>
        </Notice>
      </main>
    );
  }
  if (session.state === 'out' || isAuthPage) {
    return <AuthPage mode={pathname === '/signup' ? 'signup' : 'login'} onSignedIn={refresh} />;
  }

  const user = session.user;
  const onSignOut = () => setSession({ state: 'out' });
  let page: React.ReactNode;
  let params: Record<string, string> | null;
  if (pathname === '/') page = <SitesPage />;
  else if (pathname === '/account') page = <AccountPage user={user} onSignedOut={onSignOut} />;
  else if (pathname === '/sites/new') page = <NewSitePage />;
  else if ((params = matchPath('/orgs/:orgId', pathname))) page = <OrgPage key={params.orgId} orgId={params.orgId!} me={user.id} />;
  else if ((params = matchPath('/invite/:id', pathname))) page = <InvitePage id={params.id!} email={user.email} />;
  else if ((params = matchPath('/sites/:id/settings', pathname))) page = <SiteSettingsPage key={params.id} siteId={Number(params.id)} />;
  else if ((params = matchPath('/sites/:id/setup', pathname))) page = <SetupPage siteId={Number(params.id)} />;
  else if ((params = matchPath('/sites/:id', pathname)) && /^\d+$/.test(params.id!)) page = <SiteDashboard key={params.id} siteId={Number(params.id)} />;
  else
    page = (
      <Notice tone="info" title="Page not found">
        There is nothing at {pathname}. <a href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>Go to your sites</a>.
      </Notice>
    );
  return (
    <Layout user={user} onSignOut={onSignOut}>
      {page}
    </Layout>
  );
}
