// Wires the product together: opens the stores, builds ingestion and auth, registers the HTTP plugins.
import path from 'node:path';
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import { createAuth, instanceOwnerId, type Auth } from './auth/auth.js';
import { ConfigError, type Config } from './config/config.js';
import { authSecretFor } from './config/secrets.js';
import { DurableWriter } from './ingest/durable-writer.js';
import { openGeo, type GeoLookup } from './ingest/geo.js';
import { SaltStore } from './ingest/identity.js';
import { MemoryLiveBus, RedisLiveBus, type LiveBus } from './ingest/live-bus.js';
import { MonthlyUsage } from './ingest/monthly-usage.js';
import { RedisTokenBucketLimiter, TokenBucketLimiter, type RateLimiter } from './ingest/rate-limit.js';
import { RedisVisitStore, SessionTracker, type VisitStore } from './ingest/sessions.js';
import { SiteRegistry } from './ingest/site-registry.js';
import { TrackPipeline } from './ingest/track-pipeline.js';
import { authRoutes } from './http/auth-routes.js';
import { registerErrorHandling } from './http/errors.js';
import { registerJsonBodies } from './http/json-body.js';
import { registerSameOriginCheck } from './http/same-origin.js';
import { scriptRoutes } from './http/script-routes.js';
import { openDashboard } from './http/dashboard-routes.js';
import { orgRoutes } from './http/org-routes.js';
import { shareRoutes } from './http/share-routes.js';
import { accountRoutes } from './http/account-routes.js';
import { LoginLockout } from './auth/login-lockout.js';
import { applyRetention } from './jobs/retention.js';
import { startVisitIndexJob, type VisitIndexJob } from './jobs/visit-index-job.js';
import { createVisitIndexLock, type VisitIndexLock } from './jobs/visit-index-lock.js';
import { ShareLinks } from './sharing/share-links.js';
import { Access } from './auth/access.js';
import { ApiKeys } from './auth/api-keys.js';
import { openMailer, type Mailer } from './mail/mailer.js';
import { Invitations } from './orgs/invitations.js';
import { Organizations } from './orgs/organizations.js';
import { statsRoutes } from './http/stats-routes.js';
import { openApiRoutes } from './http/openapi.js';
import { siteRoutes } from './http/site-routes.js';
import { trackRoutes } from './http/track-routes.js';
import { Sites } from './sites/sites.js';
import type { EventStore } from './stores/events/event-store.js';
import { migrateEvents } from './stores/events/migrations.js';
import { openEventStore } from './stores/events/open-event-store.js';
import { openMetaStore, type MetaStore } from './stores/meta/meta-store.js';
import { closeRedis, DEFAULT_REDIS_PREFIX, openRedis, type Redis } from './stores/redis.js';

export interface Eesee {
  app: FastifyInstance;
  config: Config;
  meta: MetaStore;
  events: EventStore;
  auth: Auth;
  sites: Sites;
  writers: { events: DurableWriter; botEvents: DurableWriter };
  /** Active visits: in this process (written behind to the metadata store), or in Redis with REDIS_URL. */
  sessions: VisitStore;
  /** Live events: in this process, or through Redis pub/sub with REDIS_URL. */
  bus: LiveBus;
  /** Where rate limits, active visits and the live bus are shared between instances. */
  sharedState: 'memory' | 'redis';
  geo: GeoLookup;
  /** Every registered route (HEAD left out). */
  routes: readonly { method: string; url: string }[];
  /** Where mail goes: DATA_DIR/outbox, SMTP or Resend. */
  mailer: Mailer;
  /** Keeps the visit index in step with the events (analytics/visit-index.ts). */
  visitIndex: VisitIndexJob;
  /** The visit index's writer lock (jobs/visit-index-lock.ts), shared by the index job, retention and site deletion. */
  visitIndexLock: VisitIndexLock;
  /** Flushes the spool and the session cache, then closes every store. Safe to call twice. */
  close(): Promise<void>;
}

export interface BuildOptions {
  /** Fastify logger; off in tests. */
  logger?: boolean;
  /** Start of every Redis key and channel (default `eesee:`); tests use their own. */
  redisPrefix?: string;
}

export async function buildEesee(config: Config, opts: BuildOptions = {}): Promise<Eesee> {
  // First: a missing build stops start-up before any store is opened.
  const dashboard = openDashboard();
  const app = Fastify({
    logger: opts.logger ? { level: config.LOG_LEVEL } : false,
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 1024 * 1024,
    // Per-request log lines would cost more than the ingestion itself at thousands of events per second.
    logController: new LogController({ disableRequestLogging: true }),
    // Errors Fastify raises before routing (bad URL, over-long parameter) get the same {"error"} body as the rest.
    frameworkErrors: (err, _request, res) => {
      const reply = res as unknown as FastifyReply;
      void reply.status(err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400).send({ error: err.message });
    },
  });
  const baseUrl = config.BASE_URL;
  // Every route as registered, for the access-control test that must have a decision for each.
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });

  // Errors of a shared-state back end are logged at most once per 10 s: during an outage every event would report one.
  let lastRedisWarning = 0;
  const onRedisError = (err: Error) => {
    if (Date.now() - lastRedisWarning < 10_000) return;
    lastRedisWarning = Date.now();
    app.log.warn({ err }, 'redis: command or connection failed');
  };
  // First, as it fails fast: an unreachable Redis stops start-up with one line, as a wrong value does.
  const redis = config.REDIS_URL
    ? await openRedis(config.REDIS_URL, { onError: onRedisError }).catch((err: Error) => {
        throw new ConfigError(err.message);
      })
    : undefined;
  const [meta, events, geo] = await Promise.all([
    openMetaStore({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, onIdleError: (err) => app.log.warn({ err }, 'postgres: an idle connection failed; it is replaced') }),
    openEventStore(config),
    openGeo(config.GEOIP_DB),
  ]).catch(async (err: unknown) => {
    if (redis) await closeRedis(redis);
    throw err;
  });
  await migrateEvents(events);

  const authSecret = authSecretFor(config.dataDir, config.AUTH_SECRET);
  const visitIndexLock = createVisitIndexLock(meta);
  const sites = new Sites(meta.db, events, visitIndexLock);
  const mailer = openMailer(config);
  const orgs = new Organizations(meta.db);
  const auth = createAuth({
    db: meta.db,
    secret: authSecret,
    mailer,
    beforeDeleteUser: async (userId) => {
      for (const org of await orgs.soleOwnedBy(userId)) {
        const siteIds = await orgs.delete(org.id);
        for (const id of siteIds) registry.invalidate(id);
        await sites.purgeEvents(siteIds);
      }
    },
    baseUrl,
    disableSignup: config.DISABLE_SIGNUP,
    trustProxy: config.TRUST_PROXY,
  });
  const apiKeys = new ApiKeys(meta.db);
  const invitations = new Invitations(meta.db, mailer);
  const registry = new SiteRegistry(sites);
  const salts = new SaltStore(meta.db);
  await salts.rotate();
  const shared = redis ? redisSharedState(redis, config, opts.redisPrefix ?? DEFAULT_REDIS_PREFIX, onRedisError) : memorySharedState(meta, config);
  const { sessions, bus } = shared;
  const shares = new ShareLinks(meta.db, authSecret);
  const access = new Access(meta.db, auth, apiKeys, shared.keyLimiter, shares);
  await sessions.start();
  const onWriteError = (table: string) => (err: unknown, attempt: number) =>
    app.log.warn({ err, attempt }, `${table}: insert into the events store failed; rows stay in the spool and are retried`);
  const spoolDir = path.join(config.dataDir, 'spool');
  const writers = {
    events: new DurableWriter({ dir: path.join(spoolDir, 'events'), table: 'events', store: events, onError: onWriteError('events') }),
    botEvents: new DurableWriter({ dir: path.join(spoolDir, 'bot_events'), table: 'bot_events', store: events, onError: onWriteError('bot_events') }),
  };
  await Promise.all([writers.events.start(), writers.botEvents.start()]);
  const pipeline = new TrackPipeline({
    sites: registry,
    salts,
    sessions,
    geo,
    events: writers.events,
    botEvents: writers.botEvents,
    bus,
    ipLimiter: shared.ipLimiter,
    usage: new MonthlyUsage(meta.db, events),
  });
  const saltTimer = setInterval(() => void salts.rotate().catch((err) => app.log.error({ err }, 'salt rotation failed')), 10 * 60_000);
  saltTimer.unref();
  const visitIndex = startVisitIndexJob(visitIndexLock, events, (err) => app.log.error({ err }, 'visit index run failed'));
  // Hourly (and now): the data of deleted sites (late events, or a purge that failed), then each site's retention.
  const runDataJobs = async () => {
    await sites.purgePending().catch((err) => app.log.error({ err }, 'removing the data of deleted sites failed'));
    await applyRetention(meta.db, events, visitIndexLock).catch((err) => app.log.error({ err }, 'data retention failed'));
  };
  void runDataJobs();
  const dataJobsTimer = setInterval(() => void runDataJobs(), 3600_000);
  dataJobsTimer.unref();

  registerErrorHandling(app, { notFound: dashboard.fallback });
  registerJsonBodies(app);
  registerSameOriginCheck(app, baseUrl);
  await app.register(trackRoutes, { pipeline, keys: apiKeys });
  await app.register(scriptRoutes);
  await app.register(authRoutes, { auth, baseUrl, lockout: new LoginLockout() });
  await app.register(accountRoutes, { access, auth, orgs, db: meta.db });
  await app.register(siteRoutes, { access, sites, registry });
  await app.register(orgRoutes, { access, orgs, invitations, keys: apiKeys, sites, registry, baseUrl });
  await app.register(statsRoutes, { access, events, bus });
  await app.register(shareRoutes, { access, shares, baseUrl });
  await app.register(openApiRoutes);
  await app.register(dashboard.routes);
  app.get('/api/health', async () => ({
    ok: true,
    events_store: events.kind,
    meta_store: meta.kind,
    shared_state: shared.kind,
    // A fresh install has no account yet: the dashboard then opens on sign-up (the first account owns the instance).
    has_accounts: (await instanceOwnerId(meta.db)) !== undefined,
  }));

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(saltTimer);
      clearInterval(dataJobsTimer);
      await app.close();
      await Promise.all([writers.events.close(), writers.botEvents.close()]);
      await visitIndex.stop();
      await sessions.close().catch((err) => app.log.error({ err }, 'could not save active sessions'));
      await bus.close();
      if (redis) await closeRedis(redis);
      await mailer.close().catch((err) => app.log.warn({ err }, 'mailer: close failed'));
      await events.close();
      await meta.close();
    })());

  return { app, config, meta, events, auth, sites, writers, sessions, bus, sharedState: shared.kind, geo, mailer, routes, visitIndex, visitIndexLock, close };
}

/** Each API key may make 10 requests per second, in bursts of up to 60. */
const API_KEY_RATE_PER_SEC = 10;
const API_KEY_BURST = 60;

/** The state several instances must agree on (DESIGN.md §1, §4): rate limits, active visits, live events. */
interface SharedState {
  kind: 'memory' | 'redis';
  ipLimiter: RateLimiter;
  /** Requests per API key (Stats and dashboard API). */
  keyLimiter: RateLimiter;
  sessions: VisitStore;
  bus: LiveBus;
}

function memorySharedState(meta: MetaStore, config: Config): SharedState {
  return {
    kind: 'memory',
    ipLimiter: new TokenBucketLimiter(config.TRACK_RATE_LIMIT),
    keyLimiter: new TokenBucketLimiter(API_KEY_RATE_PER_SEC, API_KEY_BURST),
    sessions: new SessionTracker(meta.db),
    bus: new MemoryLiveBus(),
  };
}

function redisSharedState(redis: Redis, config: Config, prefix: string, onError: (err: Error) => void): SharedState {
  return {
    kind: 'redis',
    ipLimiter: new RedisTokenBucketLimiter(redis, config.TRACK_RATE_LIMIT, undefined, { prefix, onError }),
    keyLimiter: new RedisTokenBucketLimiter(redis, API_KEY_RATE_PER_SEC, API_KEY_BURST, { prefix, onError }),
    sessions: new RedisVisitStore(redis, { prefix }),
    bus: new RedisLiveBus(redis, { prefix, onError }),
  };
}
