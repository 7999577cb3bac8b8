// A deterministic events data set with known truth: rows shaped exactly like the `events` table, as ingestion writes them.
import { addDays, daysBetween, localMidnight, localWallToInstant } from './local-time.js';

/** One row of the `events` table (ts as epoch ms; 64-bit ids as decimal strings). */
export interface EventRow {
  site_id: number;
  ts: number;
  type: 'pageview' | 'event' | 'outbound' | 'download' | 'error' | 'vitals' | 'engagement';
  name: string;
  visitor_id: string;
  session_id: string;
  user_id: string;
  hostname: string;
  pathname: string;
  query: string;
  title: string;
  referrer: string;
  referrer_host: string;
  source: string;
  channel: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
  click_id_param: string;
  country: string;
  region: string;
  city: string;
  browser: string;
  browser_version: string;
  os: string;
  os_version: string;
  device: string;
  screen: string;
  language: string;
  props: Record<string, string>;
  revenue: number;
  currency: string;
  interactive: 0 | 1;
  engaged_ms: number;
  scroll_depth: number;
  lcp: number | null;
  cls: number | null;
  inp: number | null;
  fcp: number | null;
  ttfb: number | null;
  error_message: string;
  error_stack: string;
  error_source: string;
}

/** The visit attributes ingestion takes from a session's first event and stamps on all of its events. */
export type VisitAttributes = Pick<
  EventRow,
  | 'referrer' | 'referrer_host' | 'source' | 'channel' | 'utm_source' | 'utm_medium' | 'utm_campaign' | 'utm_term'
  | 'utm_content' | 'click_id_param' | 'country' | 'region' | 'city' | 'browser' | 'browser_version' | 'os'
  | 'os_version' | 'device' | 'screen' | 'language'
>;

export const EMPTY_VISIT: VisitAttributes = {
  referrer: '', referrer_host: '', source: '', channel: 'Direct', utm_source: '', utm_medium: '', utm_campaign: '',
  utm_term: '', utm_content: '', click_id_param: '', country: '', region: '', city: '', browser: '', browser_version: '',
  os: '', os_version: '', device: '', screen: '', language: '',
};

/** A full row with neutral defaults; tests override what they care about. */
export function eventRow(fields: Partial<EventRow> & Pick<EventRow, 'ts' | 'visitor_id' | 'session_id'>): EventRow {
  return {
    site_id: 1,
    type: 'pageview',
    name: '',
    user_id: '',
    hostname: 'example.com',
    pathname: '/',
    query: '',
    title: '',
    ...EMPTY_VISIT,
    props: {},
    revenue: 0,
    currency: '',
    interactive: 0,
    engaged_ms: 0,
    scroll_depth: 0,
    lcp: null,
    cls: null,
    inp: null,
    fcp: null,
    ttfb: null,
    error_message: '',
    error_stack: '',
    error_source: '',
    ...fields,
  };
}

/** JSONEachRow text for `insertJsonEachRow('events', ...)`. */
export function toNdjson(rows: readonly EventRow[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness

/** sfc32: small, fast, good enough, and the same sequence on every machine. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 20; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0; this.b >>>= 0; this.c >>>= 0; this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T extends { w: number }>(items: readonly T[]): T {
    const total = items.reduce((s, i) => s + i.w, 0);
    let x = this.next() * total;
    for (const item of items) {
      x -= item.w;
      if (x < 0) return item;
    }
    return items[items.length - 1]!;
  }
  /** A random UInt64 as a decimal string, usually above 2^53 so that JS numbers would lose digits. */
  uint64(): string {
    const hi = BigInt(Math.floor(this.next() * 2 ** 32));
    const lo = BigInt(Math.floor(this.next() * 2 ** 32));
    return ((hi << 32n) | lo).toString();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Profiles: what ingestion would have stamped for typical visits

interface Weighted<T> { w: number; v: T }

type Traffic = Pick<VisitAttributes, 'referrer' | 'referrer_host' | 'source' | 'channel' | 'utm_source' | 'utm_medium' | 'utm_campaign' | 'utm_term' | 'utm_content' | 'click_id_param'>;

const T = (t: Partial<Traffic>): Traffic => ({
  referrer: '', referrer_host: '', source: '', channel: 'Direct', utm_source: '', utm_medium: '', utm_campaign: '',
  utm_term: '', utm_content: '', click_id_param: '', ...t,
});

/** Traffic sources; a function so that per-visit details (utm spelling, campaign) vary. */
const TRAFFIC: Weighted<(rng: Rng) => Traffic>[] = [
  { w: 24, v: () => T({}) },
  { w: 20, v: () => T({ referrer: 'https://www.google.com/', referrer_host: 'www.google.com', source: 'Google', channel: 'Organic Search' }) },
  { w: 5, v: () => T({ referrer: 'https://www.bing.com/', referrer_host: 'www.bing.com', source: 'Bing', channel: 'Organic Search' }) },
  { w: 4, v: () => T({ referrer: 'https://duckduckgo.com/', referrer_host: 'duckduckgo.com', source: 'DuckDuckGo', channel: 'Organic Search' }) },
  { w: 6, v: () => T({ referrer: 'https://t.co/x1y2', referrer_host: 't.co', source: 'Twitter/X', channel: 'Organic Social' }) },
  { w: 5, v: () => T({ referrer: 'https://news.ycombinator.com/item?id=42', referrer_host: 'news.ycombinator.com', source: 'Hacker News', channel: 'Organic Social' }) },
  {
    w: 10,
    // Stored as sent: utm values keep their case; the source name is merged case-insensitively.
    v: (rng) => T({ utm_source: rng.pick(['newsletter', 'Newsletter', 'NEWSLETTER']), utm_medium: 'email', utm_campaign: rng.pick(['spring-launch', 'weekly']), source: 'Newsletter', channel: 'Email' }),
  },
  {
    w: 7,
    v: (rng) => T({ referrer: 'https://www.google.com/', referrer_host: 'www.google.com', utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand', utm_term: rng.pick(['analytics', 'privacy analytics']), click_id_param: 'gclid', source: 'Google', channel: 'Paid Search' }),
  },
  { w: 5, v: () => T({ referrer: 'https://chatgpt.com/', referrer_host: 'chatgpt.com', utm_source: 'chatgpt.com', source: 'ChatGPT', channel: 'AI' }) },
  { w: 5, v: () => T({ referrer: 'https://someblog.dev/posts/7', referrer_host: 'someblog.dev', source: 'someblog.dev', channel: 'Referral' }) },
  { w: 5, v: (rng) => T({ utm_source: 'Partner', utm_medium: 'referral', utm_content: rng.pick(['banner-a', 'banner-b']), source: 'Partner', channel: 'Referral' }) },
];

type Geo = Pick<VisitAttributes, 'country' | 'region' | 'city'>;
const G = (country: string, region: string, city: string): Geo => ({ country, region, city });

const GEO_NY: Weighted<Geo>[] = [
  { w: 18, v: G('US', 'US-NY', 'New York') },
  { w: 12, v: G('US', 'US-CA', 'San Francisco') },
  { w: 8, v: G('US', 'US-WA', 'Seattle') },
  { w: 6, v: G('US', 'US-TX', 'Austin') },
  { w: 8, v: G('DE', 'DE-BE', 'Berlin') },
  { w: 5, v: G('DE', 'DE-BY', 'München') },
  { w: 7, v: G('GB', 'GB-ENG', 'London') },
  { w: 5, v: G('FR', 'FR-IDF', 'Paris') },
  { w: 5, v: G('IN', 'IN-MH', 'Mumbai') },
  { w: 3, v: G('IN', 'IN-KA', 'Bengaluru') },
  { w: 3, v: G('BR', 'BR-SP', 'São Paulo') },
  { w: 3, v: G('', '', '') },
];

const GEO_IN: Weighted<Geo>[] = [
  { w: 20, v: G('IN', 'IN-MH', 'Mumbai') },
  { w: 16, v: G('IN', 'IN-KA', 'Bengaluru') },
  { w: 12, v: G('IN', 'IN-DL', 'Delhi') },
  { w: 8, v: G('IN', 'IN-WB', 'Kolkata') },
  { w: 8, v: G('US', 'US-CA', 'San Francisco') },
  { w: 5, v: G('US', 'US-NY', 'New York') },
  { w: 7, v: G('GB', 'GB-ENG', 'London') },
  { w: 6, v: G('SG', 'SG-01', 'Singapore') },
  { w: 3, v: G('DE', 'DE-BE', 'Berlin') },
  { w: 3, v: G('', '', '') },
];

type Agent = Pick<VisitAttributes, 'browser' | 'browser_version' | 'os' | 'os_version' | 'device' | 'screen'>;
const AGENTS: Weighted<Agent>[] = [
  { w: 20, v: { browser: 'Chrome', browser_version: '131.0', os: 'Windows', os_version: '10', device: 'desktop', screen: '1920x1080' } },
  { w: 12, v: { browser: 'Chrome', browser_version: '131.0', os: 'macOS', os_version: '14.6', device: 'laptop', screen: '1440x900' } },
  { w: 10, v: { browser: 'Safari', browser_version: '18.1', os: 'macOS', os_version: '15.1', device: 'laptop', screen: '1512x982' } },
  { w: 14, v: { browser: 'Safari', browser_version: '18.1', os: 'iOS', os_version: '18.1', device: 'mobile', screen: '390x844' } },
  { w: 12, v: { browser: 'Chrome', browser_version: '130.0', os: 'Android', os_version: '14', device: 'mobile', screen: '412x915' } },
  { w: 6, v: { browser: 'Firefox', browser_version: '133.0', os: 'Linux', os_version: '', device: 'desktop', screen: '2560x1440' } },
  { w: 6, v: { browser: 'Edge', browser_version: '131.0', os: 'Windows', os_version: '11', device: 'laptop', screen: '1366x768' } },
  { w: 4, v: { browser: 'Safari', browser_version: '17.6', os: 'iOS', os_version: '17.6', device: 'tablet', screen: '820x1180' } },
];

interface Page { w: number; path: string; host: string; title: string }

interface SiteProfile {
  hosts: string[];
  pages: Page[];
  geo: Weighted<Geo>[];
  languages: string[];
  currencies: Weighted<string>[];
}

const NY_PROFILE: SiteProfile = {
  hosts: ['example.com', 'docs.example.com', 'shop.example.com'],
  pages: [
    { w: 20, path: '/', host: 'example.com', title: 'Home' },
    { w: 10, path: '/pricing', host: 'example.com', title: 'Pricing' },
    { w: 6, path: '/about', host: 'example.com', title: 'About' },
    { w: 6, path: '/blog', host: 'example.com', title: 'Blog' },
    { w: 5, path: '/blog/dst-explained', host: 'example.com', title: 'DST explained' },
    { w: 5, path: '/blog/privacy-first', host: 'example.com', title: 'Privacy first' },
    { w: 3, path: '/blog/café-ünïcode', host: 'example.com', title: 'Unicode' },
    { w: 2, path: '/Blog/Upper-Case', host: 'example.com', title: 'Upper case' },
    { w: 6, path: '/docs', host: 'docs.example.com', title: 'Docs' },
    { w: 5, path: '/docs/install', host: 'docs.example.com', title: 'Install' },
    { w: 4, path: '/docs/api', host: 'docs.example.com', title: 'API' },
    { w: 4, path: '/shop', host: 'shop.example.com', title: 'Shop' },
    { w: 2, path: '/shop/checkout', host: 'shop.example.com', title: 'Checkout' },
    { w: 3, path: '/signup', host: 'example.com', title: 'Sign up' },
    { w: 2, path: '/contact', host: 'example.com', title: 'Contact' },
  ],
  geo: GEO_NY,
  languages: ['en-US', 'en-US', 'en-GB', 'de-DE', 'fr-FR', 'pt-BR'],
  currencies: [{ w: 8, v: 'USD' }, { w: 2, v: 'EUR' }],
};

const IN_PROFILE: SiteProfile = {
  hosts: ['example.in', 'blog.example.in'],
  pages: [
    { w: 20, path: '/', host: 'example.in', title: 'Home' },
    { w: 10, path: '/pricing', host: 'example.in', title: 'Pricing' },
    { w: 6, path: '/features', host: 'example.in', title: 'Features' },
    { w: 6, path: '/blog', host: 'blog.example.in', title: 'Blog' },
    { w: 5, path: '/blog/monsoon-sale', host: 'blog.example.in', title: 'Monsoon sale' },
    { w: 4, path: '/blog/नमस्ते', host: 'blog.example.in', title: 'Namaste' },
    { w: 5, path: '/docs', host: 'example.in', title: 'Docs' },
    { w: 4, path: '/docs/setup', host: 'example.in', title: 'Setup' },
    { w: 3, path: '/signup', host: 'example.in', title: 'Sign up' },
    { w: 2, path: '/contact', host: 'example.in', title: 'Contact' },
  ],
  geo: GEO_IN,
  languages: ['en-IN', 'hi-IN', 'en-US', 'en-GB'],
  currencies: [{ w: 7, v: 'INR' }, { w: 3, v: 'USD' }],
};

// ---------------------------------------------------------------------------------------------------------------
// Sites and their windows

export interface SiteFixture {
  site: { id: number; timezone: string };
  /** The fixed "now" for queries on this site; no event is at or after it. */
  now: Date;
  /** Inclusive local date windows with generated traffic. */
  windows: [string, string][];
  /** New visitors per day. */
  visitorsPerDay: number;
  profile: SiteProfile;
}

/** 17:45 EST on Thursday 2026-11-12. */
export const NY_NOW = new Date('2026-11-12T22:45:00.000Z');
/** 11:00 IST on Friday 2026-07-03. */
export const KOLKATA_NOW = new Date('2026-07-03T05:30:00.000Z');

export const NY: SiteFixture = {
  site: { id: 1, timezone: 'America/New_York' },
  now: NY_NOW,
  // 2025 (year over year), around the spring-forward (2026-03-08) and the fall-back (2026-11-01) switches.
  windows: [['2025-10-26', '2025-11-14'], ['2026-02-23', '2026-03-22'], ['2026-10-19', '2026-11-12']],
  visitorsPerDay: 7,
  profile: NY_PROFILE,
};

export const KOLKATA: SiteFixture = {
  site: { id: 2, timezone: 'Asia/Kolkata' },
  now: KOLKATA_NOW,
  windows: [['2025-06-08', '2025-06-21'], ['2026-06-01', '2026-07-03']],
  visitorsPerDay: 7,
  profile: IN_PROFILE,
};

export const FIXTURES = [NY, KOLKATA] as const;

// ---------------------------------------------------------------------------------------------------------------
// Generation

const MIN = 60_000;

/** A step of a visit before it gets its time stamps and visit attributes. */
interface Step {
  type: EventRow['type'];
  name?: string;
  page: Page;
  props?: Record<string, string>;
  revenue?: number;
  currency?: string;
  interactive?: 0 | 1;
  engaged_ms?: number;
  scroll_depth?: number;
  /** Milliseconds after the previous step (always < 30 min). */
  after: number;
}

interface SessionPlan {
  steps: Step[];
}

class SiteGenerator {
  readonly rows: EventRow[] = [];
  private readonly usedIds = new Set<string>();

  constructor(private readonly fx: SiteFixture, private readonly rng: Rng) {}

  private freshId(): string {
    for (;;) {
      const id = this.rng.uint64();
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  private page(): Page {
    return this.rng.weighted(this.fx.profile.pages.map((p) => ({ w: p.w, v: p }))).v;
  }

  /** A page read: the pageview, maybe custom events on it, then zero, one or two engagement pings. */
  private readPage(page: Page, steps: Step[], after: number, extra: Step[] = []): void {
    steps.push({ type: 'pageview', page, after });
    // Time from the pageview to leaving the page; always well under the 30-minute session gap.
    const dwell = this.rng.chance(0.15) ? this.rng.int(3 * MIN, 24 * MIN) : this.rng.int(2_000, 150_000);
    let cursor = 0; // ms after the pageview of the last step written
    for (const e of extra) {
      const at = Math.max(cursor + 1, Math.min(dwell - 1, cursor + this.rng.int(500, 20_000)));
      steps.push({ ...e, page, after: at - cursor });
      cursor = at;
    }
    const pings = this.rng.chance(0.8) ? (this.rng.chance(0.15) ? 2 : 1) : 0;
    let segmentStart = 0;
    for (let i = 0; i < pings; i++) {
      // With two pings the tab was hidden half-way (first ping) and the page left later (second ping).
      const at = Math.max(cursor + 1, i === 0 && pings === 2 ? Math.floor(dwell / 2) : dwell);
      steps.push({
        type: 'engagement',
        page,
        engaged_ms: Math.floor((at - segmentStart) * (0.3 + 0.7 * this.rng.next())),
        scroll_depth: this.rng.int(0, 100),
        after: at - cursor,
      });
      segmentStart = at;
      cursor = at;
    }
  }

  private customEvent(kind: 'signup' | 'purchase' | 'search' | 'autoplay' | 'newsletter'): Step {
    const dummy = this.fx.profile.pages[0]!;
    switch (kind) {
      case 'signup':
        return { type: 'event', name: 'Signup', page: dummy, props: { plan: this.rng.pick(['free', 'pro', 'team']) }, interactive: 1, after: 0 };
      case 'purchase': {
        const currency = this.rng.weighted(this.fx.profile.currencies.map((c) => ({ w: c.w, v: c.v }))).v;
        const revenue = this.rng.int(499, 19_999) / 100;
        return { type: 'event', name: 'Purchase', page: dummy, props: { plan: this.rng.pick(['pro', 'team']), method: this.rng.pick(['card', 'paypal']) }, revenue, currency, interactive: 1, after: 0 };
      }
      case 'search':
        return { type: 'event', name: 'Search', page: dummy, props: { term: this.rng.pick(['dst', 'api', 'pricing', 'export']) }, interactive: 1, after: 0 };
      case 'autoplay':
        // Sent with interactive: false, so the visit can still bounce.
        return { type: 'event', name: 'Video Autoplay', page: dummy, props: { video: 'intro' }, interactive: 0, after: 0 };
      case 'newsletter':
        return { type: 'event', name: 'Newsletter Signup', page: dummy, props: {}, interactive: 1, after: 0 };
    }
  }

  private linkClick(): Step {
    const dummy = this.fx.profile.pages[0]!;
    return this.rng.chance(0.6)
      ? { type: 'outbound', name: 'Outbound Link: Click', page: dummy, props: { url: this.rng.pick(['https://github.com/eesee', 'https://partner.example/deal']) }, interactive: 1, after: 0 }
      : { type: 'download', name: 'File Download', page: dummy, props: { url: `https://${this.fx.profile.hosts[0]}/files/guide.pdf` }, interactive: 1, after: 0 };
  }

  /** One visit's steps, from a mix of shapes: bounces, bounces with a non-interactive event, one page plus an interaction, SPA reads. */
  private plan(): SessionPlan {
    const steps: Step[] = [];
    const first = this.page();
    const shape = this.rng.next();
    if (shape < 0.3) {
      this.readPage(first, steps, 0);
    } else if (shape < 0.37) {
      this.readPage(first, steps, 0, [this.customEvent('autoplay')]);
    } else if (shape < 0.45) {
      this.readPage(first, steps, 0, [this.customEvent(this.rng.pick(['signup', 'newsletter', 'search'] as const))]);
    } else if (shape < 0.52) {
      this.readPage(first, steps, 0, [this.linkClick()]);
    } else {
      const n = this.rng.int(2, 6);
      let page = first;
      for (let i = 0; i < n; i++) {
        const extra: Step[] = [];
        if (this.rng.chance(0.12)) extra.push(this.customEvent('search'));
        if (this.rng.chance(0.08)) extra.push(this.customEvent('autoplay'));
        if ((page.path === '/pricing' || page.path === '/signup') && this.rng.chance(0.45)) extra.push(this.customEvent('signup'));
        if ((page.path === '/shop/checkout' || page.path === '/pricing') && this.rng.chance(0.35)) extra.push(this.customEvent('purchase'));
        if (this.rng.chance(0.06)) extra.push(this.linkClick());
        this.readPage(page, steps, i === 0 ? 0 : this.rng.int(200, 4_000), extra);
        // SPA navigation: the path changes at every pageview; pages may be revisited later.
        let next = this.page();
        while (next.path === page.path) next = this.page();
        page = next;
      }
      // Occasionally a long idle gap inside the visit (still < 30 min) before a last page.
      if (this.rng.chance(0.1)) this.readPage(page, steps, this.rng.int(20 * MIN, 29 * MIN));
    }
    return { steps };
  }

  private visitAttributes(agent: Agent, geo: Geo, language: string): VisitAttributes {
    return { ...this.rng.weighted(TRAFFIC).v(this.rng), ...geo, ...agent, language };
  }

  /** Writes a visit's rows; returns the time of its last event. */
  emitSession(visitorId: string, start: number, plan: SessionPlan, attrs: VisitAttributes): number {
    const sessionId = this.freshId();
    let t = start;
    for (const s of plan.steps) {
      t += s.after;
      this.rows.push(
        eventRow({
          site_id: this.fx.site.id,
          ts: t,
          type: s.type,
          name: s.type === 'pageview' || s.type === 'engagement' ? '' : (s.name ?? s.type),
          visitor_id: visitorId,
          session_id: sessionId,
          hostname: s.page.host,
          pathname: s.page.path,
          title: s.type === 'pageview' ? s.page.title : '',
          ...attrs,
          props: s.props ?? {},
          revenue: s.revenue ?? 0,
          currency: s.currency ?? '',
          interactive: s.interactive ?? 0,
          engaged_ms: s.engaged_ms ?? 0,
          scroll_depth: s.scroll_depth ?? 0,
        }),
      );
    }
    return t;
  }

  /** Visitors arriving over a window, each with one to five visits separated by gaps of 30 min or more. */
  generateWindow(firstDay: string, lastDay: string): void {
    const tz = this.fx.site.timezone;
    const windowStart = localMidnight(firstDay, tz);
    const windowEnd = localMidnight(addDays(lastDay, 1), tz);
    // Generated visits end 40 min before "now" at the latest; the realtime visits are planted separately.
    const cutoff = Math.min(windowEnd, this.fx.now.getTime() - 40 * MIN);
    const days = daysBetween(firstDay, lastDay) + 1;
    for (let d = 0; d < days; d++) {
      const dayStart = localMidnight(addDays(firstDay, d), tz);
      const dayEnd = localMidnight(addDays(firstDay, d + 1), tz); // 23 or 25 hours on DST days
      const visitors = this.fx.visitorsPerDay + this.rng.int(-2, 2);
      for (let v = 0; v < visitors; v++) {
        const visitorId = this.freshId();
        const agent = this.rng.weighted(AGENTS).v;
        const geo = this.rng.weighted(this.fx.profile.geo).v;
        const language = this.rng.pick(this.fx.profile.languages);
        const r = this.rng.next();
        const sessions = r < 0.6 ? 1 : r < 0.85 ? 2 : r < 0.95 ? 3 : this.rng.int(4, 5);
        let start = dayStart + Math.floor(this.rng.next() * (dayEnd - dayStart));
        // Some visits start shortly before local midnight and run into the next day.
        if (this.rng.chance(0.06)) start = dayEnd - this.rng.int(2 * MIN, 20 * MIN);
        for (let s = 0; s < sessions; s++) {
          if (start < windowStart || start >= cutoff) break;
          const plan = this.plan();
          const duration = plan.steps.reduce((sum, x) => sum + x.after, 0);
          if (start + duration >= cutoff) break;
          // Each visit has its own source (the visitor may come back from a search, then a newsletter...).
          const last = this.emitSession(visitorId, start, plan, this.visitAttributes(agent, geo, language));
          const g = this.rng.next();
          // The next visit: just over 30 minutes later (a new session by a hair), hours later or days later.
          const gap = g < 0.2 ? 30 * MIN + this.rng.int(1_000, 5 * MIN) : g < 0.6 ? this.rng.int(60 * MIN, 12 * 60 * MIN) : this.rng.int(24 * 60 * MIN, 5 * 24 * 60 * MIN);
          start = last + gap;
        }
      }
    }
  }

  /** A one-pageview visit at an exact instant (probes for time zone edges). */
  probe(ts: number, path: string): void {
    const visitorId = this.freshId();
    const page = { ...this.fx.profile.pages[0]!, path, title: 'Probe' };
    this.emitSession(visitorId, ts, { steps: [{ type: 'pageview', page, after: 0 }] }, { ...EMPTY_VISIT, country: 'US', browser: 'Chrome', os: 'Linux', device: 'desktop' });
  }

  /** A visit with explicit step times (ms after start) and page paths. */
  planted(start: number, steps: { at: number; type?: EventRow['type']; path: string; name?: string; engaged_ms?: number; scroll_depth?: number; interactive?: 0 | 1 }[], attrs: Partial<VisitAttributes> = {}): void {
    const visitorId = this.freshId();
    let prev = 0;
    const plan: SessionPlan = {
      steps: steps.map((s) => {
        const page = this.fx.profile.pages.find((p) => p.path === s.path) ?? { ...this.fx.profile.pages[0]!, path: s.path };
        const step: Step = { type: s.type ?? 'pageview', name: s.name, page, after: s.at - prev, engaged_ms: s.engaged_ms, scroll_depth: s.scroll_depth, interactive: s.interactive };
        prev = s.at;
        return step;
      }),
    };
    this.emitSession(visitorId, start, plan, { ...EMPTY_VISIT, country: 'US', city: 'New York', region: 'US-NY', browser: 'Firefox', os: 'Linux', device: 'desktop', language: 'en-US', ...attrs });
  }

  /** Visits inside the last 30 minutes before "now", and one that began just before that window. */
  realtime(): void {
    const now = this.fx.now.getTime();
    this.planted(now - 25 * MIN, [{ at: 0, path: '/' }, { at: 40_000, path: '/pricing' }]);
    this.planted(now - 10 * MIN, [{ at: 0, path: '/docs' }, { at: 30_000, type: 'engagement', path: '/docs', engaged_ms: 25_000, scroll_depth: 60 }]);
    this.planted(now - 60_000, [{ at: 0, path: '/' }]);
    this.planted(now - 31 * MIN, [{ at: 0, path: '/' }, { at: 11 * MIN, path: '/about' }]);
  }
}

export interface Dataset {
  rows: EventRow[];
  /** Rows per site id. */
  bySite: Map<number, EventRow[]>;
}

/** The full data set for both sites; the same rows for the same seed, always. */
export function generateDataset(seed = 20260308): Dataset {
  const rng = new Rng(seed);
  const rows: EventRow[] = [];
  const bySite = new Map<number, EventRow[]>();
  for (const fx of FIXTURES) {
    const gen = new SiteGenerator(fx, rng);
    for (const [a, b] of fx.windows) gen.generateWindow(a, b);
    const tz = fx.site.timezone;
    if (fx === NY) {
      // DST probes: the last instant before and the first after each switch, and both 01:30s of the repeated hour.
      gen.probe(Date.parse('2026-03-08T04:59:59.999Z'), '/dst-probe'); // 2026-03-07 23:59:59.999 EST
      gen.probe(Date.parse('2026-03-08T05:00:00.000Z'), '/dst-probe'); // 2026-03-08 00:00 EST
      gen.probe(Date.parse('2026-03-08T06:59:59.999Z'), '/dst-probe'); // 01:59:59.999 EST
      gen.probe(Date.parse('2026-03-08T07:00:00.000Z'), '/dst-probe'); // 03:00 EDT
      gen.probe(Date.parse('2026-11-01T04:59:59.999Z'), '/dst-probe'); // 00:59:59.999 EDT
      gen.probe(Date.parse('2026-11-01T05:30:00.000Z'), '/dst-probe'); // 01:30 EDT
      gen.probe(Date.parse('2026-11-01T06:30:00.000Z'), '/dst-probe'); // 01:30 EST
      gen.probe(Date.parse('2026-11-02T04:59:59.999Z'), '/dst-probe'); // 2026-11-01 23:59:59.999 EST
      // A visit crossing local midnight into the fall-back day: starts 23:50 EDT on Oct 31, pages on both days.
      gen.planted(localWallToInstant(2026, 10, 31, 23, 50, 0, tz), [
        { at: 0, path: '/blog' },
        { at: 8 * MIN, type: 'engagement', path: '/blog', engaged_ms: 300_000, scroll_depth: 80 },
        { at: 20 * MIN, path: '/pricing' },
        { at: 22 * MIN, type: 'event', name: 'Signup', path: '/pricing', interactive: 1 },
      ]);
    } else {
      // Kolkata's midnight is 18:30 UTC.
      gen.probe(Date.parse('2026-06-15T18:29:59.999Z'), '/boundary-probe'); // 2026-06-15 23:59:59.999 IST
      gen.probe(Date.parse('2026-06-15T18:30:00.000Z'), '/boundary-probe'); // 2026-06-16 00:00 IST
      gen.probe(Date.parse('2026-06-16T18:29:00.000Z'), '/boundary-probe'); // 2026-06-16 23:59 IST
      gen.planted(Date.parse('2026-06-16T18:20:00.000Z'), [
        { at: 0, path: '/features' },
        { at: 15 * MIN, type: 'engagement', path: '/features', engaged_ms: 600_000, scroll_depth: 55 },
      ], { country: 'IN', region: 'IN-WB', city: 'Kolkata' });
    }
    gen.realtime();
    gen.rows.sort((a, b) => a.ts - b.ts);
    bySite.set(fx.site.id, gen.rows);
    rows.push(...gen.rows);
  }
  return { rows, bySite };
}
