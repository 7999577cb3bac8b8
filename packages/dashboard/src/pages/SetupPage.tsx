// The snippet of a site (script tag and @eesee/js), and a status that turns green when the first pageview arrives.
import { useEffect, useState } from 'react';
import { stats, type Site } from '../lib/api.js';
import { useLive } from '../lib/use-live.js';
import { useLoad } from '../lib/use-api.js';
import { CopyableCode } from '../components/CopyableCode.js';
import { Link } from '../components/Link.js';
import { Notice } from '../components/Notice.js';

const RECHECK_MS = 15_000;

export function SetupPage({ siteId }: { siteId: number }) {
  const { data: site, error } = useLoad<Site>(`/api/sites/${siteId}`);
  const [received, setReceived] = useState<boolean>();
  const live = useLive(siteId);


  // The stream turns the status green at once; the periodic check covers proxies that buffer streams.
  useEffect(() => {
    if (received) return;
    let stop = false;
    const check = () =>
      stats({ site_id: siteId, date_range: 'all', metrics: ['pageviews'] }).then(
        (r) => !stop && setReceived((r.results[0]?.metrics[0] ?? 0) > 0),
        () => undefined,
      );
    void check();
    const timer = setInterval(check, RECHECK_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [siteId, received]);
  useEffect(() => {
    if (live.latest.some((i) => i.type === 'pageview')) setReceived(true);
  }, [live.latest]);

  if (error) return <Notice tone="error" title="This site cannot be shown">{error} <Link to="/">Back to your sites</Link>.</Notice>;
  const origin = window.location.origin;
  const scriptTag = `<script defer src="${origin}/api/script.js" data-site-id="${siteId}"></script>`;
  const npmSnippet = `npm install @eesee/js\n\nimport { init, track } from '@eesee/js';\n\ninit({ siteId: '${siteId}', apiHost: '${origin}' });\n// custom events: track('Signup', { plan: 'pro' });`;

  return (
    <section className="page narrow">
      <p>
        <Link to="/">← Sites</Link>
      </p>
      <h1>Add the snippet{site ? ` to ${site.domain}` : ''}</h1>
      <div className="card">
        <h2>Script tag</h2>
        <p className="muted">Paste it into the &lt;head&gt; of every page. It is under 2.5 KB gzipped, sets no cookies and follows single-page-app navigation.</p>
        <CopyableCode text={scriptTag} />
        <h2>Or with npm, for bundled apps</h2>
        <CopyableCode text={npmSnippet} />
      </div>
      <div className={`card setup-status ${received ? 'setup-ok' : ''}`} role="status" aria-live="polite" data-testid="setup-status">
        {received ? (
          <>
            <span className="dot dot-ok" aria-hidden="true" />
            <div>
              <strong>Receiving data.</strong> The first pageview has arrived. <Link to={`/sites/${siteId}`}>Open the dashboard →</Link>
            </div>
          </>
        ) : (
          <>
            <span className="dot dot-wait" aria-hidden="true" />
            <div>
              <strong>Waiting for the first pageview…</strong>
              <p className="muted small">Open your site in a browser once the snippet is in place. This turns green by itself; ad blockers may hold back your own visit.</p>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
