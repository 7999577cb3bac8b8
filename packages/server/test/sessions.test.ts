// Visit stores: the same resolve() semantics in process (SessionTracker, against a real PGlite metadata store)
// and in Redis (RedisVisitStore, shared by instances); SessionTracker's write-behind and restore.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SaltStore, visitorIdOf } from '../src/ingest/identity.js';
import { MAX_SESSION_TIMEOUT_MS, RedisVisitStore, SessionTracker, type ResolveArgs, type VisitEntry, type VisitStore } from '../src/ingest/sessions.js';
import { openMetaStore, type MetaStore } from '../src/stores/meta/meta-store.js';
import { activeSession, dailySalt } from '../src/stores/meta/schema.js';
import { closeRedis, openRedis, type Redis } from '../src/stores/redis.js';
import { deleteKeysWithPrefix, keysWithPrefix, redisAvailable, testRedisPrefix, TEST_REDIS_URL } from './support/test-redis.js';

const dataDir = mkdtempSync(join(tmpdir(), 'eesee-sessions-'));
let meta: MetaStore;
const trackers: SessionTracker[] = [];

const hasRedis = await redisAvailable();
const redisPrefix = testRedisPrefix('sessions');
/** Two connections, as two server instances would have. */
let redis: Redis;
let redis2: Redis;
let redisStores = 0;

beforeAll(async () => {
  meta = await openMetaStore({ dataDir });
  if (hasRedis) [redis, redis2] = await Promise.all([openRedis(TEST_REDIS_URL), openRedis(TEST_REDIS_URL)]);
});
afterAll(async () => {
  await meta?.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (redis) await deleteKeysWithPrefix(redis, redisPrefix);
  await Promise.all([redis, redis2].filter(Boolean).map(closeRedis));
});
beforeEach(async () => {
  await meta.db.delete(activeSession);
  await meta.db.delete(dailySalt);
});
afterEach(async () => {
  // close() flushes with the wall clock; rows are wiped in beforeEach anyway.
  for (const t of trackers.splice(0)) await t.close().catch(() => {});
});

/** A tracker whose write-behind timer never fires during a test (explicit flush() only). */
function tracker(): SessionTracker {
  const t = new SessionTracker(meta.db, 3_600_000);
  trackers.push(t);
  return t;
}

/** A key prefix of its own per test, so tests stay independent; all under this file's prefix. */
function freshRedisPrefix(): string {
  return `${redisPrefix}${++redisStores}:`;
}

const MIN = 60_000;
const T0 = Date.parse('2026-03-10T10:00:00.000Z');

function entry(source = 'google'): VisitEntry {
  return {
    referrer: 'https://www.google.com/',
    referrer_host: 'www.google.com',
    source,
    channel: 'Organic Search',
    utm_source: '',
    utm_medium: '',
    utm_campaign: '',
    utm_term: '',
    utm_content: '',
    click_id_param: '',
    country: 'DE',
    region: 'BE',
    city: 'Berlin',
    browser: 'Firefox',
    browser_version: '128',
    os: 'Linux',
    os_version: '',
    device: 'desktop',
    screen: '1920x1080',
    language: 'de-DE',
  };
}

async function rows() {
  return meta.db.select().from(activeSession).orderBy(asc(activeSession.siteId), asc(activeSession.visitorId));
}

/** A visit store under test and the number of visits it holds. */
interface Subject {
  store: VisitStore;
  size(): Promise<number>;
}

const implementations: { name: string; needsRedis: boolean; make: () => Subject }[] = [
  {
    name: 'SessionTracker (in process)',
    needsRedis: false,
    make: () => {
      const t = tracker();
      return { store: t, size: async () => t.size };
    },
  },
  {
    name: 'RedisVisitStore',
    needsRedis: true,
    make: () => {
      const prefix = freshRedisPrefix();
      return { store: new RedisVisitStore(redis, { prefix }), size: async () => (await keysWithPrefix(redis, `${prefix}visit:`)).length };
    },
  },
];

for (const { name, needsRedis, make: subject } of implementations) {
  describe.skipIf(needsRedis && !hasRedis)(`${name}: resolve`, () => {
    it('starts a visit on the first event, with a fresh positive 63-bit session id', async () => {
      const { store: t, size } = subject();
      const make = vi.fn(() => entry());
      const r = await t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: make });
      expect(r.isNew).toBe(true);
      expect(make).toHaveBeenCalledTimes(1);
      expect(r.visit).toMatchObject({ siteId: 1, visitorId: '111', startedAt: T0, lastSeenAt: T0, entry: entry() });
      expect(r.visit.sessionId).toMatch(/^[1-9]\d*$/);
      const sid = BigInt(r.visit.sessionId);
      expect(sid > 0n && sid < 2n ** 63n).toBe(true);
      expect(await size()).toBe(1);
    });

    it('continues while gaps stay under the timeout, even if the whole visit is longer', async () => {
      const { store: t } = subject();
      const make = vi.fn(() => entry());
      const first = await t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: make });
      let now = T0;
      for (let i = 0; i < 5; i++) {
        now += 29 * MIN; // 5 × 29 min = 145 min in total
        const r = await t.resolve({ siteId: 1, visitorId: '111', now, timeoutMs: 30 * MIN, entry: make });
        expect(r.isNew).toBe(false);
        expect(r.visit.sessionId).toBe(first.visit.sessionId);
        expect(r.visit.startedAt).toBe(T0);
        expect(r.visit.lastSeenAt).toBe(now);
        expect(r.visit.entry).toEqual(entry());
      }
      expect(make).toHaveBeenCalledTimes(1);
    });

    it('continues at timeout - 1 ms and starts a new visit at exactly the timeout', async () => {
      const { store: t, size } = subject();
      const a = await t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: () => entry() });
      const b = await t.resolve({ siteId: 1, visitorId: '111', now: T0 + 30 * MIN - 1, timeoutMs: 30 * MIN, entry: () => entry() });
      expect(b.isNew).toBe(false);
      expect(b.visit.sessionId).toBe(a.visit.sessionId);

      const make = vi.fn(() => entry('bing'));
      const lastSeen = T0 + 30 * MIN - 1;
      const c = await t.resolve({ siteId: 1, visitorId: '111', now: lastSeen + 30 * MIN, timeoutMs: 30 * MIN, entry: make });
      expect(c.isNew).toBe(true);
      expect(make).toHaveBeenCalledTimes(1);
      expect(c.visit.sessionId).not.toBe(a.visit.sessionId);
      expect(c.visit.startedAt).toBe(lastSeen + 30 * MIN);
      expect(c.visit.entry.source).toBe('bing');
      expect(await size()).toBe(1); // the ended visit is replaced, not kept beside
    });

    it('starts a new visit beyond the timeout too', async () => {
      const { store: t } = subject();
      const a = await t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: () => entry() });
      const b = await t.resolve({ siteId: 1, visitorId: '111', now: T0 + 3 * 3600_000, timeoutMs: 30 * MIN, entry: () => entry() });
      expect(b.isNew).toBe(true);
      expect(b.visit.sessionId).not.toBe(a.visit.sessionId);
    });

    it('uses the timeout of each site; the same visitor id on two sites makes two visits', async () => {
      const { store: t, size } = subject();
      const s1 = await t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 5 * MIN, entry: () => entry() });
      const s2 = await t.resolve({ siteId: 2, visitorId: '111', now: T0, timeoutMs: 60 * MIN, entry: () => entry() });
      expect(s1.isNew && s2.isNew).toBe(true);
      expect(s1.visit.sessionId).not.toBe(s2.visit.sessionId);
      expect(await size()).toBe(2);

      const later = T0 + 10 * MIN;
      const s1b = await t.resolve({ siteId: 1, visitorId: '111', now: later, timeoutMs: 5 * MIN, entry: () => entry() });
      const s2b = await t.resolve({ siteId: 2, visitorId: '111', now: later, timeoutMs: 60 * MIN, entry: () => entry() });
      expect(s1b.isNew).toBe(true); // 10 min ≥ 5 min
      expect(s2b.isNew).toBe(false); // 10 min < 60 min
      expect(s2b.visit.sessionId).toBe(s2.visit.sessionId);
    });

    it('keeps visitors apart', async () => {
      const { store: t } = subject();
      const a = await t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: () => entry() });
      const b = await t.resolve({ siteId: 1, visitorId: '222', now: T0 + 1, timeoutMs: 30 * MIN, entry: () => entry() });
      expect(b.isNew).toBe(true);
      expect(b.visit.sessionId).not.toBe(a.visit.sessionId);
    });

    it('an event older than the last one (out of order) continues the visit without moving lastSeenAt back', async () => {
      const { store: t } = subject();
      await t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: () => entry() });
      await t.resolve({ siteId: 1, visitorId: '111', now: T0 + 10 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
      const late = await t.resolve({ siteId: 1, visitorId: '111', now: T0 + 5 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
      expect(late.isNew).toBe(false);
      expect(late.visit.lastSeenAt).toBe(T0 + 10 * MIN);
    });

    it('calls entry() only when a visit starts', async () => {
      const { store: t } = subject();
      const make = vi.fn(() => entry());
      for (let i = 0; i < 10; i++) await t.resolve({ siteId: 1, visitorId: '111', now: T0 + i * MIN, timeoutMs: 30 * MIN, entry: make });
      expect(make).toHaveBeenCalledTimes(1);
      await t.resolve({ siteId: 1, visitorId: '111', now: T0 + 9 * MIN + 30 * MIN, timeoutMs: 30 * MIN, entry: make });
      expect(make).toHaveBeenCalledTimes(2);
      await t.resolve({ siteId: 1, visitorId: '333', now: T0 + 40 * MIN, timeoutMs: 30 * MIN, entry: make });
      expect(make).toHaveBeenCalledTimes(3);
    });

    it('keeps the entry attributes exactly, whatever characters they hold', async () => {
      const { store: t } = subject();
      const odd = { ...entry(), city: 'Zürich', referrer: 'https://例え.jp/?q="quoted"\\&x=\'1\'\n', language: '🎉' };
      await t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: () => odd });
      const r = await t.resolve({ siteId: 1, visitorId: '111', now: T0 + MIN, timeoutMs: 30 * MIN, entry: () => entry() });
      expect(r.visit.entry).toEqual(odd);
    });
  });

  describe.skipIf(needsRedis && !hasRedis)(`${name}: across UTC midnight`, () => {
    const beforeMidnight = Date.parse('2026-03-10T23:50:00.000Z');
    const afterMidnight = Date.parse('2026-03-11T00:05:00.000Z');
    const ip = '198.51.100.23';
    const ua = 'Mozilla/5.0 (Macintosh) Safari/605.1.15';

    it('continues a visit under its old visitor id when the new-day id differs but the previous-day id matches', async () => {
      const salts = new SaltStore(meta.db);
      const { store: t, size } = subject();
      await salts.rotate(beforeMidnight);
      const oldId = visitorIdOf(salts.saltFor(beforeMidnight)!, 7, ip, ua);
      const first = await t.resolve({ siteId: 7, visitorId: oldId, now: beforeMidnight, timeoutMs: 30 * MIN, entry: () => entry() });

      await salts.rotate(afterMidnight);
      const newId = visitorIdOf(salts.saltFor(afterMidnight)!, 7, ip, ua);
      const prevId = visitorIdOf(salts.previousSaltFor(afterMidnight)!, 7, ip, ua);
      expect(newId).not.toBe(oldId);
      expect(prevId).toBe(oldId);

      const make = vi.fn(() => entry('direct'));
      const r = await t.resolve({ siteId: 7, visitorId: newId, previousVisitorId: prevId, now: afterMidnight, timeoutMs: 30 * MIN, entry: make });
      expect(r.isNew).toBe(false);
      expect(make).not.toHaveBeenCalled();
      expect(r.visit.visitorId).toBe(oldId);
      expect(r.visit.sessionId).toBe(first.visit.sessionId);
      expect(r.visit.startedAt).toBe(beforeMidnight);
      expect(r.visit.lastSeenAt).toBe(afterMidnight);
      expect(r.visit.entry.source).toBe('google');

      // and the next event after midnight still finds it
      const r2 = await t.resolve({ siteId: 7, visitorId: newId, previousVisitorId: prevId, now: afterMidnight + 20 * MIN, timeoutMs: 30 * MIN, entry: make });
      expect(r2.isNew).toBe(false);
      expect(r2.visit.sessionId).toBe(first.visit.sessionId);
      expect(r2.visit.visitorId).toBe(oldId);
      expect(r2.visit.lastSeenAt).toBe(afterMidnight + 20 * MIN);
      expect(make).not.toHaveBeenCalled();
      expect(await size()).toBe(1);
    });

    it('starts a new visit under the new id when the carried-over visit has timed out', async () => {
      const { store: t } = subject();
      await t.resolve({ siteId: 7, visitorId: 'old', now: beforeMidnight - 40 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
      const make = vi.fn(() => entry('direct'));
      const r = await t.resolve({ siteId: 7, visitorId: 'new', previousVisitorId: 'old', now: afterMidnight, timeoutMs: 30 * MIN, entry: make });
      expect(r.isNew).toBe(true);
      expect(make).toHaveBeenCalledTimes(1);
      expect(r.visit.visitorId).toBe('new');
    });

    it('does not carry a visit over from another site', async () => {
      const { store: t } = subject();
      await t.resolve({ siteId: 8, visitorId: 'old', now: beforeMidnight, timeoutMs: 30 * MIN, entry: () => entry() });
      const r = await t.resolve({ siteId: 7, visitorId: 'new', previousVisitorId: 'old', now: afterMidnight, timeoutMs: 30 * MIN, entry: () => entry() });
      expect(r.isNew).toBe(true);
      expect(r.visit.visitorId).toBe('new');
    });

    it('prefers a live visit under the new id over one under the previous id', async () => {
      const { store: t } = subject();
      const old = await t.resolve({ siteId: 7, visitorId: 'old', now: beforeMidnight, timeoutMs: 30 * MIN, entry: () => entry() });
      const fresh = await t.resolve({ siteId: 7, visitorId: 'new', now: afterMidnight - 1 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
      const r = await t.resolve({ siteId: 7, visitorId: 'new', previousVisitorId: 'old', now: afterMidnight, timeoutMs: 30 * MIN, entry: () => entry() });
      expect(r.isNew).toBe(false);
      expect(r.visit.sessionId).toBe(fresh.visit.sessionId);
      expect(r.visit.sessionId).not.toBe(old.visit.sessionId);
    });
  });
}

describe.skipIf(!hasRedis)('RedisVisitStore shared by instances', () => {
  /** Two stores on two connections with one prefix: two server instances sharing one Redis. */
  function twoInstances(): [RedisVisitStore, RedisVisitStore, string] {
    const prefix = freshRedisPrefix();
    return [new RedisVisitStore(redis, { prefix }), new RedisVisitStore(redis2, { prefix }), prefix];
  }
  const args = (now: number, extra: Partial<ResolveArgs> = {}): ResolveArgs => ({ siteId: 1, visitorId: '111', now, timeoutMs: 30 * MIN, entry: () => entry(), ...extra });

  it("puts a visitor's events in one session whichever instance receives them", async () => {
    const [a, b] = twoInstances();
    const make = vi.fn(() => entry());
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await (i % 2 === 0 ? a : b).resolve(args(T0 + i * 10 * MIN, { entry: make })));
    expect(results.map((r) => r.isNew)).toEqual([true, false, false, false, false, false]);
    expect(new Set(results.map((r) => r.visit.sessionId)).size).toBe(1);
    expect(results.at(-1)!.visit).toMatchObject({ startedAt: T0, lastSeenAt: T0 + 50 * MIN, entry: entry() });
    expect(make).toHaveBeenCalledTimes(1);
    // 30 minutes of silence end the visit for both
    const next = await a.resolve(args(T0 + 80 * MIN));
    expect(next.isNew).toBe(true);
    expect((await b.resolve(args(T0 + 81 * MIN))).visit.sessionId).toBe(next.visit.sessionId);
  });

  it('first events arriving at both instances at once start exactly one visit', async () => {
    const [a, b] = twoInstances();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).resolve(args(T0 + i))));
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    expect(new Set(results.map((r) => r.visit.sessionId)).size).toBe(1);
    expect(new Set(results.map((r) => r.visit.startedAt)).size).toBe(1);
  });

  it('continues across midnight on the other instance', async () => {
    const [a, b] = twoInstances();
    const first = await a.resolve(args(Date.parse('2026-03-10T23:55:00Z'), { visitorId: 'old' }));
    const r = await b.resolve(args(Date.parse('2026-03-11T00:01:00Z'), { visitorId: 'new', previousVisitorId: 'old' }));
    expect(r.isNew).toBe(false);
    expect(r.visit.visitorId).toBe('old');
    expect(r.visit.sessionId).toBe(first.visit.sessionId);
  });

  it('a store opened later (a restarted instance) continues the visits already in Redis', async () => {
    const [a, , prefix] = twoInstances();
    const first = await a.resolve(args(T0));
    const other = await openRedis(TEST_REDIS_URL);
    try {
      const restarted = new RedisVisitStore(other, { prefix });
      await restarted.start();
      const r = await restarted.resolve(args(T0 + 20 * MIN, { entry: () => entry('other') }));
      expect(r.isNew).toBe(false);
      expect(r.visit.sessionId).toBe(first.visit.sessionId);
      expect(r.visit.entry).toEqual(entry());
    } finally {
      await closeRedis(other);
    }
  });

  it('keeps each visit in one hash under <prefix>visit:<site>:<visitor> that expires after the longest timeout', async () => {
    const [a, , prefix] = twoInstances();
    const r = await a.resolve(args(T0, { siteId: 42, visitorId: '9001' }));
    const key = `${prefix}visit:42:9001`;
    expect(await keysWithPrefix(redis, prefix)).toEqual([key]);
    expect(await redis.hgetall(key)).toEqual({
      visitor: '9001',
      session: r.visit.sessionId,
      started: String(T0),
      last: String(T0),
      entry: JSON.stringify(entry()),
    });
    await redis.pexpire(key, 1000);
    await a.resolve(args(T0 + MIN, { siteId: 42, visitorId: '9001' })); // every event renews it
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(MAX_SESSION_TIMEOUT_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(MAX_SESSION_TIMEOUT_MS);
    expect(await redis.hget(key, 'last')).toBe(String(T0 + MIN));
  });

  it('flush() and close() have nothing to write and touch no connection', async () => {
    const [a] = twoInstances();
    await a.resolve(args(T0));
    await a.flush();
    await a.close();
    expect(redis.status).toBe('ready');
  });
});

describe('SessionTracker write-behind', () => {
  it('flush() writes changed visits to active_session', async () => {
    const t = tracker();
    const a = t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: () => entry() });
    const b = t.resolve({ siteId: 2, visitorId: '222', now: T0 + 1000, timeoutMs: 30 * MIN, entry: () => entry('bing') });
    expect(await rows()).toEqual([]); // nothing is written per event
    await t.flush(T0 + 2000);
    const stored = await rows();
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({ siteId: 1, visitorId: '111', sessionId: a.visit.sessionId, entry: entry() });
    expect(stored[0]!.startedAt.getTime()).toBe(T0);
    expect(stored[0]!.lastSeenAt.getTime()).toBe(T0);
    expect(stored[1]).toMatchObject({ siteId: 2, visitorId: '222', sessionId: b.visit.sessionId, entry: entry('bing') });

    // an update moves last_seen_at; a new visit for the same visitor replaces the row
    t.resolve({ siteId: 1, visitorId: '111', now: T0 + 10 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
    const c = t.resolve({ siteId: 2, visitorId: '222', now: T0 + 60 * MIN, timeoutMs: 30 * MIN, entry: () => entry('duckduckgo') });
    await t.flush(T0 + 60 * MIN);
    const after = await rows();
    expect(after).toHaveLength(2);
    expect(after[0]!.lastSeenAt.getTime()).toBe(T0 + 10 * MIN);
    expect(after[0]!.startedAt.getTime()).toBe(T0);
    expect(after[1]).toMatchObject({ sessionId: c.visit.sessionId, entry: entry('duckduckgo') });
    expect(after[1]!.startedAt.getTime()).toBe(T0 + 60 * MIN);
  });

  it('the row of a visit carried over midnight is written under the old visitor id', async () => {
    const t = tracker();
    const before = Date.parse('2026-03-10T23:50:00.000Z');
    const first = t.resolve({ siteId: 7, visitorId: 'old', now: before, timeoutMs: 30 * MIN, entry: () => entry() });
    t.resolve({ siteId: 7, visitorId: 'new', previousVisitorId: 'old', now: before + 15 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
    t.resolve({ siteId: 7, visitorId: 'new', previousVisitorId: 'old', now: before + 35 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
    await t.flush(before + 35 * MIN);
    const stored = await rows();
    expect(stored.map((s) => [s.siteId, s.visitorId, s.sessionId])).toEqual([[7, 'old', first.visit.sessionId]]);
    expect(stored[0]!.lastSeenAt.getTime()).toBe(before + 35 * MIN);
  });

  it('a flush with nothing changed writes nothing and does not fail', async () => {
    const t = tracker();
    await t.flush(T0);
    expect(await rows()).toEqual([]);
  });

  it('a new tracker started over the same database restores live visits', async () => {
    const t1 = tracker();
    const a = t1.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: () => entry() });
    t1.resolve({ siteId: 1, visitorId: '111', now: T0 + 5 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
    await t1.flush(T0 + 5 * MIN);

    const t2 = tracker();
    await t2.start(T0 + 6 * MIN);
    expect(t2.size).toBe(1);
    const make = vi.fn(() => entry('other'));
    const r = t2.resolve({ siteId: 1, visitorId: '111', now: T0 + 20 * MIN, timeoutMs: 30 * MIN, entry: make });
    expect(r.isNew).toBe(false);
    expect(make).not.toHaveBeenCalled();
    expect(r.visit.sessionId).toBe(a.visit.sessionId);
    expect(r.visit.startedAt).toBe(T0);
    expect(r.visit.entry).toEqual(entry());
    // the restored lastSeenAt is the flushed one: 30 min after it, the visit has ended
    const t3 = tracker();
    await t3.start(T0 + 6 * MIN);
    expect(t3.resolve({ siteId: 1, visitorId: '111', now: T0 + 35 * MIN, timeoutMs: 30 * MIN, entry: make }).isNew).toBe(true);
  });

  it('start() restores a visit carried over midnight under its old visitor id', async () => {
    const t1 = tracker();
    const before = Date.parse('2026-03-10T23:55:00Z');
    const first = t1.resolve({ siteId: 3, visitorId: 'old', now: before, timeoutMs: 30 * MIN, entry: () => entry() });
    t1.resolve({ siteId: 3, visitorId: 'new', previousVisitorId: 'old', now: before + 10 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
    await t1.flush(before + 10 * MIN);
    const t2 = tracker();
    await t2.start(before + 11 * MIN);
    const r = t2.resolve({ siteId: 3, visitorId: 'new', previousVisitorId: 'old', now: before + 12 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
    expect(r.isNew).toBe(false);
    expect(r.visit.sessionId).toBe(first.visit.sessionId);
  });

  it('start() does not restore visits idle for more than four hours', async () => {
    await meta.db.insert(activeSession).values([
      { siteId: 1, visitorId: 'stale', sessionId: '5', startedAt: new Date(T0 - 6 * 3600_000), lastSeenAt: new Date(T0 - 4 * 3600_000 - 1), entry: entry() },
      { siteId: 1, visitorId: 'fresh', sessionId: '6', startedAt: new Date(T0 - 3600_000), lastSeenAt: new Date(T0 - 3 * 3600_000), entry: entry() },
    ]);
    const t = tracker();
    await t.start(T0);
    expect(t.size).toBe(1);
    // with a 4-hour site timeout the fresh one continues, the stale one starts anew
    expect(t.resolve({ siteId: 1, visitorId: 'fresh', now: T0, timeoutMs: 240 * MIN, entry: () => entry() }).visit.sessionId).toBe('6');
    expect(t.resolve({ siteId: 1, visitorId: 'stale', now: T0, timeoutMs: 240 * MIN, entry: () => entry() }).isNew).toBe(true);
  });

  it('flush() forgets visits idle for more than four hours, in memory and in the table', async () => {
    const t = tracker();
    t.resolve({ siteId: 1, visitorId: 'idle', now: T0, timeoutMs: 30 * MIN, entry: () => entry() });
    t.resolve({ siteId: 1, visitorId: 'recent', now: T0 + 3 * 3600_000, timeoutMs: 30 * MIN, entry: () => entry() });
    await t.flush(T0 + 3 * 3600_000);
    expect(t.size).toBe(2); // 3 h idle: ended for a 30-min site, but still remembered
    expect(await rows()).toHaveLength(2);

    t.resolve({ siteId: 1, visitorId: 'busy', now: T0 + 5 * 3600_000, timeoutMs: 30 * MIN, entry: () => entry() });
    await t.flush(T0 + 5 * 3600_000);
    // idle: 5 h > 4 h -> forgotten; recent: 2 h -> kept; busy: new
    expect(t.size).toBe(2);
    expect((await rows()).map((r) => r.visitorId).sort()).toEqual(['busy', 'recent']);
  });

  it('a flush requested while another is running still writes the visits changed after that one began', async () => {
    const t = tracker();
    t.resolve({ siteId: 1, visitorId: 'first', now: T0, timeoutMs: 30 * MIN, entry: () => entry() });
    const running = t.flush(T0); // e.g. the write-behind timer
    t.resolve({ siteId: 1, visitorId: 'second', now: T0 + 1000, timeoutMs: 30 * MIN, entry: () => entry() });
    await t.flush(T0 + 1000); // the caller expects "second" to be durable now
    await running;
    expect((await rows()).map((r) => r.visitorId).sort()).toEqual(['first', 'second']);
  });

  it('close() during a running write-behind flush still writes the latest visits (restart keeps them)', async () => {
    const now = Date.now(); // close() flushes with the wall clock
    const t = new SessionTracker(meta.db, 3_600_000);
    t.resolve({ siteId: 1, visitorId: 'early', now, timeoutMs: 30 * MIN, entry: () => entry() });
    const running = t.flush(now);
    const late = t.resolve({ siteId: 1, visitorId: 'late', now: now + 1, timeoutMs: 30 * MIN, entry: () => entry() });
    await t.close();
    await running;
    const t2 = tracker();
    await t2.start(now + 2);
    const r = t2.resolve({ siteId: 1, visitorId: 'late', now: now + 3, timeoutMs: 30 * MIN, entry: () => entry() });
    expect(r.isNew).toBe(false);
    expect(r.visit.sessionId).toBe(late.visit.sessionId);
  });

  it('the write-behind timer started by start() flushes on its own', async () => {
    const now = Date.now(); // the timer flushes with the wall clock
    const t = new SessionTracker(meta.db, 50);
    trackers.push(t);
    await t.start(now);
    t.resolve({ siteId: 9, visitorId: 'timer', now, timeoutMs: 30 * MIN, entry: () => entry() });
    await vi.waitFor(async () => expect((await rows()).map((r) => r.visitorId)).toEqual(['timer']), { timeout: 5000, interval: 50 });
  });
});
