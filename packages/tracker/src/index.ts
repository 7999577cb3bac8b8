// The npm package @eesee/js: call init() once in the browser, then track/pageview/identify/reset anywhere.
import { createTracker, DEFAULT_DOWNLOADS, replay, type Eesee, type Props, type TrackOptions } from './core.js';

export type { Eesee, Props, PropValue, TrackOptions } from './core.js';

export interface InitOptions {
  /** The site's id, as shown in the dashboard. */
  siteId: string | number;
  /** Origin of the Eesee server, e.g. "https://stats.example.com"; events go to `${apiHost}/api/track`. */
  apiHost?: string;
  /** Full URL of the track endpoint (e.g. a first-party proxy); wins over apiHost. */
  endpoint?: string;
  /** auto (default): history API; hash: also hash routes (#/a is the page /a); off: no SPA tracking. */
  spa?: 'auto' | 'hash' | 'off';
  /** Path globs (* within a segment, ** across segments) whose pages send nothing. */
  exclude?: string[];
  /** When given, only pages matching one of these globs send events. */
  include?: string[];
  /** Track clicks on links to other hosts (default true). */
  outbound?: boolean;
  /** Track clicks on file links: true (default) for the built-in extensions, false, or your own list. */
  downloads?: boolean | string[];
  /** Log every payload and every skipped event to the console. */
  debug?: boolean;
  /** Send pageviews automatically on load and navigation (default true). */
  autoPageviews?: boolean;
}

let tracker: Eesee | undefined;
// Calls made before init() (e.g. from a component that renders first), replayed by init().
const pending: unknown[][] = [];

/** Starts tracking. Later calls are ignored, and so is a call outside the browser (SSR). */
export function init(options: InitOptions): void {
  if (tracker || typeof window === 'undefined') return;
  const { downloads = true } = options;
  tracker = createTracker({
    siteId: options.siteId,
    endpoint: options.endpoint ?? `${options.apiHost?.replace(/\/+$/, '') ?? ''}/api/track`,
    spa: options.spa ?? 'auto',
    autoPageviews: options.autoPageviews ?? true,
    exclude: options.exclude ?? [],
    include: options.include ?? [],
    outbound: options.outbound ?? true,
    downloads: downloads === true ? DEFAULT_DOWNLOADS : downloads || [],
    debug: options.debug ?? false,
  });
  replay(tracker, pending.splice(0));
}

function call(method: keyof Eesee, args: unknown[]): void {
  if (tracker) (tracker[method] as (...args: unknown[]) => void)(...args);
  else if (typeof window !== 'undefined') pending.push([method, ...args]);
}

export function track(name: string, props?: Props, options?: TrackOptions): void {
  call('track', [name, props, options]);
}

export function pageview(url?: string): void {
  call('pageview', [url]);
}

export function identify(userId: string, traits?: Props): void {
  call('identify', [userId, traits]);
}

export function reset(): void {
  call('reset', []);
}
