// The ingestion steps of DESIGN.md §4 for one validated payload: limits, site rules, bots, enrichment, visit, durable write, live bus.
import type { TrackPayload } from './payload.js';
import type { DurableWriter } from './durable-writer.js';
import type { GeoLookup } from './geo.js';
import type { LiveBus } from './live-bus.js';
import type { RateLimiter } from './rate-limit.js';
import type { SaltStore } from './identity.js';
import { visitorIdOf } from './identity.js';
import type { VisitEntry, VisitStore } from './sessions.js';
import type { SiteRegistry } from './site-registry.js';
import type { MonthlyUsage } from './monthly-usage.js';
import { botCheck, channelOf, deviceOf, parsePageUrl, parseUserAgent, referrerHostOf, screenOf, sourceOf } from './enrich/index.js';

export interface TrackContext {
  ip: string;
  userAgent: string;
  headers: Record<string, string | string[] | undefined>;
  now: number;
  /** Set when a server sent the event with an ingest API key: which sites the key may send for. */
  sender?: { organizationId: string; siteIds: number[] | null };
}

export type TrackOutcome =
  | { status: 202; body: { ok: true; ignored?: string } }
  | { status: 400 | 403 | 404 | 429 | 503; body: { error: string } };

const accepted: TrackOutcome = { status: 202, body: { ok: true } };
const ignored = (reason: string): TrackOutcome => ({ status: 202, body: { ok: true, ignored: reason } });
const refused = (status: 400 | 403 | 404 | 429 | 503, error: string): TrackOutcome => ({ status, body: { error } });

/** How far a client clock may be from ours before `ts` is refused as absurd. */
const MAX_PAST_MS = 30 * 86_400_000;
const MAX_FUTURE_MS = 10 * 60_000;

export interface TrackPipelineDeps {
  sites: SiteRegistry;
  salts: SaltStore;
  sessions: VisitStore;
  geo: GeoLookup;
  events: DurableWriter;
  botEvents: DurableWriter;
  bus: LiveBus;
  ipLimiter: RateLimiter;
  usage: MonthlyUsage;
}

export class TrackPipeline {
  private rotating: Promise<void> | undefined;

  constructor(private readonly deps: TrackPipelineDeps) {}

  async ingest(p: TrackPayload, ctx: TrackContext): Promise<TrackOutcome> {
    const { deps } = this;
    if (!(await deps.ipLimiter.take(ctx.ip, ctx.now))) return refused(429, 'too many events from this address; slow down');
    if (p.ts !== undefined && (p.ts < ctx.now - MAX_PAST_MS || p.ts > ctx.now + MAX_FUTURE_MS)) {
      return refused(400, 'ts: timestamp is more than 30 days in the past or 10 minutes in the future');
    }
    const siteId = Number(p.site_id);
    const site = await deps.sites.get(siteId, ctx.now);
    if (!site) return refused(404, `site_id: no site with id ${siteId}`);
    if (ctx.sender && (ctx.sender.organizationId !== site.organizationId || (ctx.sender.siteIds && !ctx.sender.siteIds.includes(siteId)))) {
      return refused(403, `authorization: this API key may not send events for site ${siteId}`);
    }

    const page = parsePageUrl(p.url, {
      trailingSlashMerge: site.settings.trailingSlashMerge,
      hashRouting: site.settings.hashRouting,
      excludedQueryParams: site.settings.excludedQueryParams,
    });
    if (!page) return refused(400, 'url: must be an absolute http(s) URL');
    if (!site.rules.hostAllowed(page.hostname)) return refused(403, `url: host ${page.hostname} is not allowed for this site`);

    if (site.settings.botFiltering) {
      const bot = botCheck(ctx.userAgent, ctx.headers);
      if (bot.isBot) {
        deps.botEvents.append([
          {
            site_id: siteId,
            ts: ctx.now,
            type: p.type,
            hostname: page.hostname,
            pathname: page.pathname,
            user_agent: ctx.userAgent.slice(0, 512),
            reason: bot.reason,
            country: deps.geo.lookup(ctx.ip).country,
          },
        ]);
        return ignored('bot');
      }
    }
    if (site.rules.ipExcluded(ctx.ip)) return ignored('excluded address');
    if (site.rules.pathExcluded(page.pathname)) return ignored('excluded path');
    const geo = deps.geo.lookup(ctx.ip);
    if (geo.country && site.rules.countryExcluded(geo.country)) return ignored('excluded country');
    if (!(await deps.usage.tryCount(site.organizationId, ctx.now))) return refused(429, 'monthly event limit of this organisation reached');

    const salt = deps.salts.saltFor(ctx.now) ?? (await this.rotateSalts(ctx.now));
    if (!salt) return refused(503, 'identity salts unavailable; try again');
    const visitorId = visitorIdOf(salt, siteId, ctx.ip, ctx.userAgent);
    const previousSalt = deps.salts.previousSaltFor(ctx.now);
    const previousVisitorId = previousSalt ? visitorIdOf(previousSalt, siteId, ctx.ip, ctx.userAgent) : undefined;

    const { visit } = await deps.sessions.resolve({
      siteId,
      visitorId,
      previousVisitorId,
      now: ctx.now,
      timeoutMs: site.settings.sessionTimeoutMinutes * 60_000,
      entry: (): VisitEntry => {
        const ua = parseUserAgent(ctx.userAgent);
        const referrerHost = referrerHostOf(p.referrer ?? '');
        const siteHosts = [site.domain, page.hostname, ...site.settings.allowedHostnames];
        const source = sourceOf({ referrer: p.referrer ?? '', utmSource: page.utm.source, refParam: page.refParam, siteHosts, clickId: page.clickId });
        const ownReferrer = source === '' && referrerHost !== '';
        return {
          referrer: ownReferrer ? '' : (p.referrer ?? '').slice(0, 2048),
          referrer_host: ownReferrer ? '' : referrerHost,
          source,
          channel: channelOf({
            source,
            referrerHost: ownReferrer ? '' : referrerHost,
            utmMedium: page.utm.medium,
            utmSource: page.utm.source,
            utmCampaign: page.utm.campaign,
            clickId: page.clickId,
            refParam: page.refParam,
          }),
          utm_source: page.utm.source,
          utm_medium: page.utm.medium,
          utm_campaign: page.utm.campaign,
          utm_term: page.utm.term,
          utm_content: page.utm.content,
          click_id_param: page.clickId?.name ?? '',
          country: geo.country,
          region: geo.region,
          city: geo.city,
          browser: ua.browser,
          browser_version: ua.browserVersion,
          os: ua.os,
          os_version: ua.osVersion,
          device: deviceOf(p.viewport_width, ua.deviceType),
          screen: screenOf(p.screen_width, p.screen_height),
          language: (p.language ?? '').slice(0, 35),
        };
      },
    });

    const row = {
      site_id: siteId,
      ts: ctx.now,
      type: p.type,
      name: p.type === 'pageview' || p.type === 'engagement' ? '' : (p.name ?? p.type),
      visitor_id: visit.visitorId,
      session_id: visit.sessionId,
      user_id: p.user_id ?? '',
      hostname: page.hostname,
      pathname: page.pathname,
      query: page.query,
      title: p.title ?? '',
      ...visit.entry,
      props: stringProps(p.props),
      revenue: p.revenue?.amount ?? 0,
      currency: p.revenue?.currency.toUpperCase() ?? '',
      interactive: isInteractive(p) ? 1 : 0,
      engaged_ms: p.engaged_ms ?? 0,
      scroll_depth: Math.round(p.scroll_depth ?? 0),
      lcp: p.vitals?.lcp ?? null,
      cls: p.vitals?.cls ?? null,
      inp: p.vitals?.inp ?? null,
      fcp: p.vitals?.fcp ?? null,
      ttfb: p.vitals?.ttfb ?? null,
      error_message: p.error?.message ?? '',
      error_stack: p.error?.stack ?? '',
      error_source: p.error?.source ?? '',
    };
    deps.events.append([row]);
    deps.bus.publish({
      site_id: siteId,
      ts: new Date(ctx.now).toISOString(),
      type: row.type,
      name: row.name,
      pathname: row.pathname,
      hostname: row.hostname,
      visitor_id: row.visitor_id,
      session_id: row.session_id,
      country: row.country,
      source: row.source,
      device: row.device,
    });
    return accepted;
  }

  /** One salt rotation at a time when the UTC day turns; the first event of the day waits for it. */
  private async rotateSalts(now: number): Promise<Buffer | undefined> {
    this.rotating ??= this.deps.salts.rotate(now).finally(() => {
      this.rotating = undefined;
    });
    await this.rotating;
    return this.deps.salts.saltFor(now);
  }
}

/** Custom events and link clicks count as interaction (no bounce) unless sent with interactive: false. */
function isInteractive(p: TrackPayload): boolean {
  if (p.type === 'event') return p.interactive !== false;
  return p.type === 'outbound' || p.type === 'download';
}

function stringProps(props: TrackPayload['props']): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (!props) return out;
  for (const [k, v] of Object.entries(props)) out[k] = v === null ? '' : String(v);
  return out;
}
