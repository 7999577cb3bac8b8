// The tracker: pageviews (first load and SPA navigation), custom events, outbound and download clicks,
// and engagement pings. Both builds (the <script> tag and the npm package) create it with createTracker.
import { globToRegExp } from './glob.js';
import { post } from './transport.js';

export type PropValue = string | number | boolean | null;
/** Custom properties: at most 30 keys; strings are cut to 500 characters; undefined values are dropped. */
export type Props = Record<string, PropValue | undefined>;

export interface TrackOptions {
  /** Money attached to the event, e.g. { amount: 29.9, currency: 'EUR' } (ISO 4217 code). */
  revenue?: { amount: number; currency: string };
  /** false: the event does not count as interaction, so a one-page visit with it is still a bounce. */
  interactive?: boolean;
}

export interface Eesee {
  /** Sends a custom event. */
  track(name: string, props?: Props, options?: TrackOptions): void;
  /** Sends a pageview now, for the current URL or the given one (resolved against the current URL). */
  pageview(url?: string): void;
  /** Attaches userId to the events that follow (kept in memory only). Traits are not sent yet. */
  identify(userId: string, traits?: Props): void;
  /** Forgets the user id set by identify(). */
  reset(): void;
}

export interface TrackerConfig {
  siteId: string | number;
  /** Full URL (or same-origin path) of POST /api/track. */
  endpoint: string;
  /** auto: history API; hash: history API and hash routes (#/a is the page /a); off: first load only. */
  spa: 'auto' | 'hash' | 'off';
  /** false: no automatic pageviews at all; the site calls pageview() itself. */
  autoPageviews: boolean;
  /** Path globs; a page matching exclude, or not matching a non-empty include, sends nothing. */
  exclude: string[];
  include: string[];
  outbound: boolean;
  /** File extensions whose links count as downloads; empty turns download tracking off. */
  downloads: string[];
  debug: boolean;
}

export const DEFAULT_DOWNLOADS =
  'pdf,zip,rar,7z,gz,tgz,bz2,dmg,pkg,exe,msi,apk,deb,rpm,iso,doc,docx,xls,xlsx,ppt,pptx,odt,ods,odp,csv,epub,mp3,wav,flac,mp4,mov,avi,mkv'.split(
    ',',
  );

const MAX_ENGAGED_MS = 86_400_000;

/** The page a pageview counted: its engagement is credited to it even after the URL has moved on. */
interface Page {
  url: string;
  path: string;
}

type Fields = { type: string } & Record<string, unknown>;

export function createTracker(config: TrackerConfig): Eesee {
  const log = (...details: unknown[]) => config.debug && console.log('[eesee]', ...details);
  const excluded = config.exclude.map(globToRegExp);
  const included = config.include.map(globToRegExp);

  let userId: string | undefined;
  // Sent with the first pageview only: later pageviews are navigation inside the site.
  let referrer: string | undefined = document.referrer || undefined;
  let page: Page | undefined;
  let lastPath: string | undefined;

  // Engagement of the current page: time spent visible and focused, and the deepest scroll in percent.
  let engagedMs = 0;
  let engagedSince = 0; // start of the current engaged stretch; 0 while not engaged
  let focused = document.hasFocus();
  // Set from pagehide until pageshow: browsers fire pagehide while the page is still "visible" and turn it
  // hidden just after, so without this the leave would restart the clock and send a second, 1 ms ping.
  let leaving = false;
  let scrollDepth: number | undefined;

  /** The path that names a page: the pathname, or in hash mode the hash route (#/a?x=1 -> /a). */
  function pathOf(url: URL | Location): string {
    return config.spa === 'hash' && url.hash.startsWith('#/') ? url.hash.slice(1).split('?')[0]! : url.pathname;
  }

  function skipReason(path: string): string | undefined {
    if (!config.siteId) return 'no site id';
    if (location.protocol === 'file:') return 'file: page';
    try {
      if (localStorage.getItem('eesee_ignore') === 'true') return 'opted out (localStorage.eesee_ignore)';
    } catch {
      // Storage blocked: nobody can have opted out this way.
    }
    const matches = (pattern: RegExp) => pattern.test(path);
    if (excluded.some(matches) || (included.length > 0 && !included.some(matches))) return `excluded path ${path}`;
    return undefined;
  }

  function send(fields: Fields, on: Page = { url: location.href, path: pathOf(location) }): void {
    const reason = skipReason(on.path);
    if (reason) {
      log('skip', fields.type, reason);
      return;
    }
    post(
      config.endpoint,
      {
        site_id: config.siteId,
        // The server's limits: a longer URL (a huge query or hash) is cut rather than losing the pageview.
        url: on.url.slice(0, 4096),
        title: document.title.slice(0, 512),
        screen_width: screen.width,
        screen_height: screen.height,
        viewport_width: innerWidth,
        language: navigator.language,
        user_id: userId,
        ...fields,
      },
      config.debug,
    );
  }

  function tickEngagement(): void {
    const now = Date.now();
    if (engagedSince) engagedMs += now - engagedSince;
    engagedSince = !leaving && document.visibilityState === 'visible' && focused ? now : 0;
  }

  function measureScroll(): void {
    const height = document.documentElement.scrollHeight;
    const seen = height > innerHeight ? Math.round(((scrollY + innerHeight) / height) * 100) : 100;
    scrollDepth = Math.max(scrollDepth ?? 0, Math.min(seen, 100));
  }

  /** Reports the current page's engagement since the last ping, if there was any. */
  function flushEngagement(): void {
    tickEngagement();
    const ms = Math.min(Math.round(engagedMs), MAX_ENGAGED_MS);
    engagedMs = 0;
    if (ms > 0 && page) send({ type: 'engagement', engaged_ms: ms, scroll_depth: scrollDepth }, page);
  }

  function onHide(): void {
    measureScroll();
    flushEngagement();
  }

  function pageview(url?: string): void {
    flushEngagement();
    const href = url ? new URL(url, location.href).href : location.href;
    page = { url: href, path: pathOf(new URL(href)) };
    lastPath = pathOf(location);
    scrollDepth = undefined;
    send({ type: 'pageview', referrer: referrer?.slice(0, 2048) }, page);
    referrer = undefined;
  }

  // Only a new path is a new page: replaceState after pushState, or a query change, counts nothing.
  function onNavigate(): void {
    if (pathOf(location) !== lastPath) pageview();
  }

  function onLinkClick(event: MouseEvent): void {
    if (event.type === 'auxclick' && event.button !== 1) return; // only a middle click opens a link
    const link = (event.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
    const href = link?.href;
    if (typeof href !== 'string') return; // no link, or an SVG link
    const url = new URL(href);
    const extension = /\.([a-z0-9]+)$/i.exec(url.pathname)?.[1]?.toLowerCase();
    const props = { url: href.slice(0, 500) };
    const isDownload = link!.hasAttribute('download') || (extension !== undefined && config.downloads.includes(extension));
    if (config.downloads.length > 0 && isDownload) {
      send({ type: 'download', name: 'File Download', props });
    } else if (config.outbound && /^https?:$/.test(url.protocol) && url.host !== location.host) {
      send({ type: 'outbound', name: 'Outbound Link: Click', props });
    }
  }

  addEventListener('focus', () => {
    focused = true;
    tickEngagement();
  });
  addEventListener('blur', () => {
    focused = false;
    tickEngagement();
  });
  document.addEventListener('visibilitychange', () => (document.visibilityState === 'hidden' ? onHide() : tickEngagement()));
  addEventListener('pagehide', () => {
    leaving = true;
    onHide();
  });
  // Back from the back/forward cache: the same page is in view again.
  addEventListener('pageshow', () => {
    leaving = false;
    tickEngagement();
  });
  addEventListener('scroll', measureScroll, { passive: true });
  addEventListener('load', measureScroll);
  document.addEventListener('click', onLinkClick, true);
  document.addEventListener('auxclick', onLinkClick, true);

  if (config.autoPageviews && config.spa !== 'off') {
    for (const method of ['pushState', 'replaceState'] as const) {
      const original = history[method];
      history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
        original.apply(this, args);
        onNavigate();
      };
    }
    addEventListener('popstate', onNavigate);
    if (config.spa === 'hash') addEventListener('hashchange', onNavigate);
  }

  tickEngagement();
  if (config.autoPageviews) {
    // A prerendered page has not been seen (yet): count it when the visitor actually opens it.
    if ((document as { prerendering?: boolean }).prerendering) {
      document.addEventListener('prerenderingchange', () => pageview(), { once: true });
    } else {
      pageview();
    }
  }

  return {
    track(name, props, options = {}) {
      const { revenue, interactive } = options;
      send({
        type: 'event',
        name: String(name).slice(0, 256),
        props: props && cleanProps(props),
        revenue: revenue && { amount: Number(revenue.amount), currency: revenue.currency },
        interactive,
      });
    },
    pageview,
    identify(id, traits) {
      userId = String(id).slice(0, 256);
      if (traits) log('identify: traits are not sent (no field for them on /api/track yet)', traits);
    },
    reset() {
      userId = undefined;
    },
  };
}

/** Keeps what the server accepts: strings (cut to 500), numbers, booleans and null; the rest as text. */
function cleanProps(props: Props): Record<string, PropValue> {
  const clean: Record<string, PropValue> = {};
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    clean[key] = value === null || typeof value === 'number' || typeof value === 'boolean' ? value : String(value).slice(0, 500);
  }
  return clean;
}

/** Replays calls recorded before the tracker existed, in order; each call is [method, ...args]. */
export function replay(api: Eesee, calls: ArrayLike<unknown>[] | undefined): void {
  for (const call of calls ?? []) {
    const [method, ...args] = Array.from(call);
    const fn = api[method as keyof Eesee] as ((...args: unknown[]) => void) | undefined;
    if (typeof fn === 'function') fn(...args);
  }
}
