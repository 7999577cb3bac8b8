// Entry of dist/script.js: configure from the <script> tag's data-* attributes, expose window.eesee and
// replay the calls that the pre-load stub (see README) queued before the script arrived.
import { createTracker, DEFAULT_DOWNLOADS, replay, type Eesee } from './core.js';
import { splitList } from './glob.js';

type Stub = Partial<Eesee> & { q?: ArrayLike<unknown>[] };
const page = window as unknown as { eesee?: Stub };
const stub = page.eesee;

// A second copy of the script on the same page must not count everything twice.
const alreadyLoaded = typeof stub?.track === 'function' && !stub.q;

if (!alreadyLoaded) {
  // currentScript is null when a tag manager runs the script from a callback; find the tag instead.
  const script = (document.currentScript ?? document.querySelector('script[data-site-id]')) as HTMLScriptElement | null;
  const attr = (name: string) => script?.getAttribute(`data-${name}`);
  const spa = attr('spa');
  const downloads = attr('downloads');
  const debug = attr('debug');

  const tracker = createTracker({
    siteId: attr('site-id') ?? '',
    // Default: the server that served the script.
    endpoint: attr('api') || new URL('/api/track', script?.src || location.href).href,
    spa: spa === 'hash' || spa === 'off' ? spa : 'auto',
    autoPageviews: true,
    exclude: splitList(attr('exclude')),
    include: splitList(attr('include')),
    outbound: attr('outbound') !== 'false',
    downloads: downloads === 'false' ? [] : downloads ? splitList(downloads.toLowerCase()) : DEFAULT_DOWNLOADS,
    debug: debug != null && debug !== 'false',
  });
  page.eesee = tracker;
  replay(tracker, stub?.q);
}
