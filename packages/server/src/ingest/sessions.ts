// Active visits: a visitor's run of events with gaps under the site's timeout, cached in memory and written behind to PostgreSQL.
import { randomBytes } from 'node:crypto';
import { gt, lt, sql } from 'drizzle-orm';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { activeSession } from '../stores/meta/schema.js';

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

/** Longest session timeout a site may set; visits idle longer are never continued. */
export const MAX_SESSION_TIMEOUT_MS = 4 * 3600_000;

function randomSessionId(): string {
  // 63 bits so it fits both UInt64 and signed readers; never 0.
  return ((randomBytes(8).readBigUInt64BE(0) >> 1n) | 1n).toString();
}

export class SessionTracker {
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

  /**
   * Finds the visit an event belongs to, or starts one. `previousVisitorId` is the id under
   * yesterday's salt: a visit that crosses UTC midnight goes on under the id it started with.
   */
  resolve(args: {
    siteId: number;
    visitorId: string;
    previousVisitorId?: string;
    now: number;
    timeoutMs: number;
    entry: () => VisitEntry;
  }): VisitResolution {
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
