// A customer's website for the e2e tests: a small single-page app on its own origin that embeds the real tracker
// (queue stub first, then <script defer src=".../api/script.js">), with SPA routes, a custom event button, an
// outbound link and a download link. Served by a plain node:http server on 127.0.0.1 and a random port.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureSite {
  /** e.g. http://127.0.0.1:43121 (no trailing slash). */
  origin: string;
  /** Every request the site answered, as "METHOD /path?query". */
  requests: string[];
  close(): Promise<void>;
}

export interface FixtureOptions {
  /** Full URL of the tracker script, e.g. http://127.0.0.1:40000/api/script.js. */
  scriptSrc: string;
  siteId: string | number;
  /** Where the outbound link points; the tests stub it with page.route so no real network is used. */
  outboundUrl: string;
  /** Whether the page queues an `Early` custom event before the script loads (default true). */
  queuedEvent?: boolean;
}

/** The routes the SPA knows; any other path still gets the app (SPA fallback) and renders "Not found". */
export const ROUTES: Readonly<Record<string, { title: string; heading: string }>> = {
  '/': { title: 'Acme — Home', heading: 'Acme makes widgets' },
  '/pricing': { title: 'Acme — Pricing', heading: 'Pricing' },
  '/docs': { title: 'Acme — Docs', heading: 'Documentation' },
};

// The small PDF behind the download link: a browser saves it, nothing opens it.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function fixturePage(opts: FixtureOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${ROUTES['/']!.title}</title>
<!-- The queue stub from the tracker README: calls made before the deferred script has loaded are queued. -->
<script>
  window.eesee = window.eesee || { q: [] };
  ['track', 'pageview', 'identify', 'reset'].forEach(function (m) {
    window.eesee[m] = window.eesee[m] || function () { window.eesee.q.push([m].concat([].slice.call(arguments))); };
  });
${opts.queuedEvent === false ? '' : "  eesee.track('Early', { queued: true });\n"}</script>
<script defer src="${escapeAttr(opts.scriptSrc)}" data-site-id="${escapeAttr(String(opts.siteId))}"></script>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d2330; }
  header { display: flex; gap: 1.25rem; align-items: center; padding: 1rem 1.5rem; background: #1d2330; }
  header strong { color: #fff; margin-right: auto; }
  header a { color: #cfe0ff; text-decoration: none; }
  header a[aria-current="page"] { color: #fff; text-decoration: underline; }
  main { padding: 1.5rem; max-width: 40rem; }
  .actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin-top: 1rem; }
  button { font: inherit; padding: .5rem 1rem; border: 0; border-radius: .375rem; background: #2f6fed; color: #fff; }
  #docs-body p { margin: 0 0 1rem; }
</style>
</head>
<body>
<header>
  <strong>Acme</strong>
  <a href="/" data-route>Home</a>
  <a href="/pricing" data-route>Pricing</a>
  <a href="/docs" data-route>Docs</a>
</header>
<main>
  <h1 id="heading"></h1>
  <div class="actions">
    <button id="signup" type="button">Sign up (Pro, 49 EUR)</button>
    <a id="outbound" href="${escapeAttr(opts.outboundUrl)}">Our partner</a>
    <a id="download" href="/files/report.pdf" download>Annual report (PDF)</a>
  </div>
  <div id="docs-body"></div>
</main>
<script>
  var routes = ${JSON.stringify(ROUTES)};
  function render() {
    var route = routes[location.pathname] || { title: 'Acme — Not found', heading: 'Not found' };
    document.title = route.title;
    document.getElementById('heading').textContent = route.heading;
    // The docs page is long enough to scroll, so the engagement ping's scroll depth means something.
    var body = document.getElementById('docs-body');
    body.innerHTML = '';
    if (location.pathname === '/docs') {
      for (var i = 1; i <= 60; i++) {
        var p = document.createElement('p');
        p.textContent = 'Section ' + i + ': how to set up widgets, step by step.';
        body.appendChild(p);
      }
    }
    document.querySelectorAll('a[data-route]').forEach(function (a) {
      if (a.getAttribute('href') === location.pathname) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
  }
  // Client-side routing as SPA routers do it: pushState first, then render the new view.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-route]');
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    if (link.getAttribute('href') === location.pathname) return;
    history.pushState({}, '', link.getAttribute('href'));
    render();
  });
  addEventListener('popstate', render);
  document.getElementById('signup').addEventListener('click', function () {
    window.eesee.track('Signup', { plan: 'pro' }, { revenue: { amount: 49, currency: 'EUR' } });
  });
  render();
</script>
</body>
</html>
`;
}

export async function startFixtureSite(opts: FixtureOptions): Promise<FixtureSite> {
  const html = fixturePage(opts);
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const pathname = new URL(req.url ?? '/', 'http://fixture.invalid').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (pathname === '/files/report.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': PDF.length }).end(req.method === 'HEAD' ? undefined : PDF);
    } else if (pathname === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      // SPA fallback: every other path is the app, which renders the route itself.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : html);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
