// The Stats API (POST /api/v1/query), realtime figures and the live stream (SSE) of a site, for signed-in users.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { runStatsQuery, StatsQueryError } from '../analytics/index.js';
import { currentVisitors } from '../analytics/realtime.js';
import { parseSiteId, type Access } from '../auth/access.js';
import type { LiveBus, LiveEvent } from '../ingest/live-bus.js';
import type { EventStore } from '../stores/events/event-store.js';
import { toFetchHeaders } from './auth-routes.js';

interface Deps {
  access: Access;
  events: EventStore;
  bus: LiveBus;
}

const LIVE_COUNT_EVERY_MS = 5000;
const LIVE_HEARTBEAT_MS = 25_000;

/** The site when the caller may read its statistics; otherwise an AccessError (401/403/404/429) is thrown. */
async function siteFor(deps: Deps, request: FastifyRequest, rawId: unknown): Promise<{ id: number; timezone: string }> {
  const caller = await deps.access.caller(toFetchHeaders(request));
  return deps.access.requireSite(caller, rawId, 'stats:read');
}

export async function statsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.post('/api/v1/query', async (request, reply) => {
    const body = request.body as { site_id?: unknown } | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return reply.status(400).send({ error: 'body must be a JSON object with site_id, metrics, ...' });
    // Checked before the caller, as before: a malformed id is a 400 for anyone.
    const site = await siteFor(deps, request, parseSiteId(body.site_id, 'site_id'));
    try {
      return await runStatsQuery(deps.events, { id: site.id, timezone: site.timezone }, body);
    } catch (err) {
      if (err instanceof StatsQueryError) return reply.status(400).send({ error: err.message });
      throw err;
    }
  });

  app.get<{ Params: { id: string } }>('/api/sites/:id/realtime', async (request, reply) => {
    const site = await siteFor(deps, request, request.params.id);
    return { visitors: await currentVisitors(deps.events, site.id) };
  });

  // One poller per site with listeners, so a hundred open dashboards cost one count query per interval.
  const pollers = new Map<number, { clients: Set<(count: number) => void>; timer: NodeJS.Timeout }>();
  const watchCount = (siteId: number, onCount: (count: number) => void): (() => void) => {
    let poller = pollers.get(siteId);
    if (!poller) {
      const clients = new Set<(count: number) => void>();
      const timer = setInterval(() => {
        currentVisitors(deps.events, siteId).then(
          (n) => clients.forEach((c) => c(n)),
          (err) => app.log.warn({ err }, 'live count failed'),
        );
      }, LIVE_COUNT_EVERY_MS);
      timer.unref();
      pollers.set(siteId, (poller = { clients, timer }));
    }
    poller.clients.add(onCount);
    return () => {
      poller.clients.delete(onCount);
      if (poller.clients.size === 0) {
        clearInterval(poller.timer);
        pollers.delete(siteId);
      }
    };
  };
  const openStreams = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const close of openStreams) close();
    for (const p of pollers.values()) clearInterval(p.timer);
    pollers.clear();
  });

  app.get<{ Params: { id: string } }>('/api/sites/:id/live', async (request, reply) => {
    const site = await siteFor(deps, request, request.params.id);
    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (event: string, data: unknown) => {
      if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    send('visitors', { visitors: await currentVisitors(deps.events, site.id) });
    const stopCount = watchCount(site.id, (visitors) => send('visitors', { visitors }));
    // Visitor and session ids stay on the server: the stream shows what happened, not who.
    const stopEvents = deps.bus.subscribe(site.id, (e: LiveEvent) =>
      send(e.type === 'pageview' ? 'pageview' : 'event', { ts: e.ts, type: e.type, name: e.name, pathname: e.pathname, hostname: e.hostname, country: e.country, source: e.source, device: e.device }),
    );
    const heartbeat = setInterval(() => !res.writableEnded && res.write(': keep-alive\n\n'), LIVE_HEARTBEAT_MS);
    heartbeat.unref();
    const stop = () => {
      clearInterval(heartbeat);
      stopCount();
      stopEvents();
      openStreams.delete(close);
    };
    const close = () => {
      stop();
      res.end();
    };
    openStreams.add(close);
    request.raw.on('close', stop);
  });
}
