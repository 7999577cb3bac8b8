// Active visits: a visitor's run of events with gaps under the site's timeout; in memory written behind to PostgreSQL, or in Redis.
import { randomBytes } from 'node:crypto';
import { gt, lt, sql } from 'drizzle-orm';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { activeSession } from '../stores/meta/schema.js';
import { DEFAULT_REDIS_PREFIX, defineScript, type Redis } from '../stores/redis.js';

/** The attributes of a visit, taken from its first event and stamped on all its events (DESIGN.md §6). */
export interface VisitEntry {
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
}

export interface ActiveVisit {
  siteId: number;
  visitorId: string;
  sessionId: string;
  startedAt: number;
  lastSeenAt: number;
  entry: VisitEntry;
}

export interface VisitResolution {
  visit: ActiveVisit;
  isNew: boolean;
}

export interface ResolveArgs {
  siteId: number;
  visitorId: string;
  /** The visitor's id under yesterday's salt, when there is one. */
  previousVisitorId?: string;
  now: number;
  timeoutMs: number;
  /** The visit's attributes; called only when a visit starts. */
  entry: () => VisitEntry;
}

/**
 * Where the visit an event belongs to is found (DESIGN.md §4): `SessionTracker` keeps active visits
 * in this process and writes them behind to PostgreSQL; `RedisVisitStore` keeps them in Redis so
 * that several server instances agree.
 */
export interface VisitStore {
  readonly kind: 'memory' | 'redis';
  start(now?: number): Promise<void>;
  /**
   * Finds the visit an event belongs to, or starts one. A visit continues while the gap since its
   * last event is under `timeoutMs`; one that crosses UTC midnight goes on under the visitor id it
   * started with, found through `previousVisitorId`.
   */
  resolve(args: ResolveArgs): VisitResolution | Promise<VisitResolution>;
  /** Makes the visits resolved so far durable. */
  flush(now?: number): Promise<void>;
  close(): Promise<void>;
}

/** Longest session timeout a site may set; visits idle longer are never continued. */
export const MAX_SESSION_TIMEOUT_MS = 4 * 3600_000;

function randomSessionId(): string {
  // 63 bits so it fits both UInt64 and signed readers; never 0.
  return ((randomBytes(8).readBigUInt64BE(0) >> 1n) | 1n).toString();
}

export class SessionTracker implements VisitStore {
  readonly kind = 'memory';
  private readonly visits = new Map<string, ActiveVisit>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly db: MetaDb, private readonly writeBehindMs = 2000) {}

  /** Loads visits still active from an earlier run, so a restart does not split them. */
  async start(now = Date.now()): Promise<void> {
    const rows = await this.db.select().from(activeSession).where(gt(activeSession.lastSeenAt, new Date(now - MAX_SESSION_TIMEOUT_MS)));
    for (const r of rows) {
      const visit: ActiveVisit = {
        siteId: r.siteId,
        visitorId: r.visitorId,
        sessionId: r.sessionId,
        startedAt: r.startedAt.getTime(),
        lastSeenAt: r.lastSeenAt.getTime(),
        entry: r.entry as VisitEntry,
      };
      this.visits.set(key(visit.siteId, visit.visitorId), visit);
    }
    this.timer = setInterval(() => void this.flush().catch(() => {}), this.writeBehindMs);
    this.timer.unref();
  }

  resolve(args: ResolveArgs): VisitResolution {
    const { siteId, now, timeoutMs } = args;
    const live = (v: ActiveVisit | undefined) => v !== undefined && now - v.lastSeenAt < timeoutMs;
    let visit = this.visits.get(key(siteId, args.visitorId));
    if (!live(visit) && args.previousVisitorId) {
      const carried = this.visits.get(key(siteId, args.previousVisitorId));
      if (live(carried)) visit = carried;
    }
    let isNew = false;
    if (!live(visit)) {
      visit = { siteId, visitorId: args.visitorId, sessionId: randomSessionId(), startedAt: now, lastSeenAt: now, entry: args.entry() };
      this.visits.set(key(siteId, args.visitorId), visit);
      isNew = true;
    } else if (now > visit!.lastSeenAt) {
      visit!.lastSeenAt = now;
    }
    this.dirty.add(key(siteId, visit!.visitorId));
    return { visit: visit!, isNew };
  }

  get size(): number {
    return this.visits.size;
  }

  /**
   * Writes changed visits to PostgreSQL in one statement per batch and forgets long-idle ones.
   * When a write is already running, waits for it and then writes what changed meanwhile.
   */
  async flush(now = Date.now()): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => {});
    if (this.dirty.size === 0 && this.visits.size === 0) return;
    this.flushing = this.writeDirty(now).finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async writeDirty(now: number): Promise<void> {
    const keys = [...this.dirty];
    this.dirty.clear();
    const rows = keys
      .map((k) => this.visits.get(k))
      .filter((v): v is ActiveVisit => v !== undefined)
      .map((v) => ({
        siteId: v.siteId,
        visitorId: v.visitorId,
        sessionId: v.sessionId,
        startedAt: new Date(v.startedAt),
        lastSeenAt: new Date(v.lastSeenAt),
        entry: v.entry,
      }));
    try {
      for (let i = 0; i < rows.length; i += 500) {
        await this.db
          .insert(activeSession)
          .values(rows.slice(i, i + 500))
          .onConflictDoUpdate({
            target: [activeSession.siteId, activeSession.visitorId],
            set: {
              sessionId: sql`excluded.session_id`,
              startedAt: sql`excluded.started_at`,
              lastSeenAt: sql`excluded.last_seen_at`,
              entry: sql`excluded.entry`,
            },
          });
      }
    } catch (err) {
      for (const k of keys) this.dirty.add(k); // try again on the next round
      throw err;
    }
    const cutoff = now - MAX_SESSION_TIMEOUT_MS;
    for (const [k, v] of this.visits) if (v.lastSeenAt < cutoff) this.visits.delete(k);
    await this.db.delete(activeSession).where(lt(activeSession.lastSeenAt, new Date(cutoff)));
  }
}

function key(siteId: number, visitorId: string): string {
  return `${siteId}:${visitorId}`;
}

// SessionTracker.resolve as one atomic step on hashes {visitor, session, started, last, entry}.
// KEYS[1]: the visit under the visitor's id; KEYS[2]: under yesterday's id (KEYS[1] again when none).
// ARGV: now, timeout (ms), time to live (ms), visitor id, new session id, entry JSON.
// Without a new session id and entry it only continues a live visit, and answers {2} when none is.
const RESOLVE_LUA = `
local now = tonumber(ARGV[1])
local timeout = tonumber(ARGV[2])
local function live(key)
  local v = redis.call('HMGET', key, 'visitor', 'session', 'started', 'last', 'entry')
  if v[1] and v[2] and v[3] and v[4] and v[5] and now - tonumber(v[4]) < timeout then return v end
  return nil
end
local key = KEYS[1]
local v = live(key)
if not v and KEYS[2] ~= KEYS[1] then
  key = KEYS[2]
  v = live(key)
end
if v then
  if now > tonumber(v[4]) then
    redis.call('HSET', key, 'last', ARGV[1])
    v[4] = ARGV[1]
  end
  redis.call('PEXPIRE', key, ARGV[3])
  return {0, v[1], v[2], v[3], v[4], v[5]}
end
if ARGV[5] == '' then return {2} end
redis.call('HSET', KEYS[1], 'visitor', ARGV[4], 'session', ARGV[5], 'started', ARGV[1], 'last', ARGV[1], 'entry', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, ARGV[4], ARGV[5], ARGV[1], ARGV[1], ARGV[6]}
`;

type ResolveReply = [0 | 1, string, string, string, string, string] | [2];

/**
 * Active visits in Redis under `<prefix>visit:<siteId>:<visitorId>`, shared by every server
 * instance: one atomic script per event. A visit's key expires after the longest session timeout
 * without events, so nothing needs cleaning up and nothing is written to PostgreSQL.
 *
 * The visit's attributes are computed only when a visit starts, as with SessionTracker: the first
 * call carries none and continues a live visit; when there is none, a second call carries a new
 * session id and the attributes, and still continues a visit that another instance started in between.
 */
export class RedisVisitStore implements VisitStore {
  readonly kind = 'redis';
  private readonly script: (...keysThenArgs: (string | number)[]) => Promise<ResolveReply>;
  private readonly prefix: string;

  constructor(redis: Redis, opts: { prefix?: string } = {}) {
    this.script = defineScript<ResolveReply>(redis, 'eeseeResolveVisit', 2, RESOLVE_LUA);
    this.prefix = `${opts.prefix ?? DEFAULT_REDIS_PREFIX}visit:`;
  }

  async start(): Promise<void> {}

  async resolve(args: ResolveArgs): Promise<VisitResolution> {
    const { siteId, visitorId, now, timeoutMs } = args;
    const current = `${this.prefix}${siteId}:${visitorId}`;
    const previous = args.previousVisitorId && args.previousVisitorId !== visitorId ? `${this.prefix}${siteId}:${args.previousVisitorId}` : current;
    const run = (sessionId: string, entry: string) => this.script(current, previous, now, timeoutMs, MAX_SESSION_TIMEOUT_MS, visitorId, sessionId, entry);
    let reply = await run('', '');
    if (reply[0] === 2) reply = await run(randomSessionId(), JSON.stringify(args.entry()));
    if (reply[0] === 2) throw new Error('visit script refused a visit with attributes'); // cannot happen
    const [isNew, visitVisitorId, sessionId, startedAt, lastSeenAt, entry] = reply;
    return {
      visit: { siteId, visitorId: visitVisitorId, sessionId, startedAt: Number(startedAt), lastSeenAt: Number(lastSeenAt), entry: JSON.parse(entry) as VisitEntry },
      isNew: isNew === 1,
    };
  }

  /** Visits are in Redis as soon as they are resolved. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
