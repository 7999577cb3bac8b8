// SessionTracker against a real PGlite metadata store: timeouts, midnight continuity, write-behind and restore.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SaltStore, visitorIdOf } from '../src/ingest/identity.js';
import { SessionTracker, type VisitEntry } from '../src/ingest/sessions.js';
import { openMetaStore, type MetaStore } from '../src/stores/meta/meta-store.js';
import { activeSession, dailySalt } from '../src/stores/meta/schema.js';

const dataDir = mkdtempSync(join(tmpdir(), 'eesee-sessions-'));
let meta: MetaStore;
const trackers: SessionTracker[] = [];

beforeAll(async () => {
  meta = await openMetaStore({ dataDir });
});
afterAll(async () => {
  await meta?.close();
  rmSync(dataDir, { recursive: true, force: true });
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

describe('SessionTracker.resolve', () => {
  it('starts a visit on the first event, with a fresh positive 63-bit session id', () => {
    const t = tracker();
    const make = vi.fn(() => entry());
    const r = t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: make });
    expect(r.isNew).toBe(true);
    expect(make).toHaveBeenCalledTimes(1);
    expect(r.visit).toMatchObject({ siteId: 1, visitorId: '111', startedAt: T0, lastSeenAt: T0, entry: entry() });
    expect(r.visit.sessionId).toMatch(/^[1-9]\d*$/);
    const sid = BigInt(r.visit.sessionId);
    expect(sid > 0n && sid < 2n ** 63n).toBe(true);
    expect(t.size).toBe(1);
  });

  it('continues while gaps stay under the timeout, even if the whole visit is longer', () => {
    const t = tracker();
    const make = vi.fn(() => entry());
    const first = t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: make });
    let now = T0;
    for (let i = 0; i < 5; i++) {
      now += 29 * MIN; // 5 × 29 min = 145 min in total
      const r = t.resolve({ siteId: 1, visitorId: '111', now, timeoutMs: 30 * MIN, entry: make });
      expect(r.isNew).toBe(false);
      expect(r.visit.sessionId).toBe(first.visit.sessionId);
      expect(r.visit.startedAt).toBe(T0);
      expect(r.visit.lastSeenAt).toBe(now);
    }
    expect(make).toHaveBeenCalledTimes(1);
  });

  it('continues at timeout - 1 ms and starts a new visit at exactly the timeout', () => {
    const t = tracker();
    const a = t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: () => entry() });
    const b = t.resolve({ siteId: 1, visitorId: '111', now: T0 + 30 * MIN - 1, timeoutMs: 30 * MIN, entry: () => entry() });
    expect(b.isNew).toBe(false);
    expect(b.visit.sessionId).toBe(a.visit.sessionId);

    const make = vi.fn(() => entry('bing'));
    const lastSeen = T0 + 30 * MIN - 1;
    const c = t.resolve({ siteId: 1, visitorId: '111', now: lastSeen + 30 * MIN, timeoutMs: 30 * MIN, entry: make });
    expect(c.isNew).toBe(true);
    expect(make).toHaveBeenCalledTimes(1);
    expect(c.visit.sessionId).not.toBe(a.visit.sessionId);
    expect(c.visit.startedAt).toBe(lastSeen + 30 * MIN);
    expect(c.visit.entry.source).toBe('bing');
    expect(t.size).toBe(1); // the ended visit is replaced, not kept beside
  });

  it('starts a new visit beyond the timeout too', () => {
    const t = tracker();
    const a = t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: () => entry() });
    const b = t.resolve({ siteId: 1, visitorId: '111', now: T0 + 3 * 3600_000, timeoutMs: 30 * MIN, entry: () => entry() });
    expect(b.isNew).toBe(true);
    expect(b.visit.sessionId).not.toBe(a.visit.sessionId);
  });

  it('uses the timeout of each site; the same visitor id on two sites makes two visits', () => {
    const t = tracker();
    const s1 = t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 5 * MIN, entry: () => entry() });
    const s2 = t.resolve({ siteId: 2, visitorId: '111', now: T0, timeoutMs: 60 * MIN, entry: () => entry() });
    expect(s1.isNew && s2.isNew).toBe(true);
    expect(s1.visit.sessionId).not.toBe(s2.visit.sessionId);
    expect(t.size).toBe(2);

    const later = T0 + 10 * MIN;
    const s1b = t.resolve({ siteId: 1, visitorId: '111', now: later, timeoutMs: 5 * MIN, entry: () => entry() });
    const s2b = t.resolve({ siteId: 2, visitorId: '111', now: later, timeoutMs: 60 * MIN, entry: () => entry() });
    expect(s1b.isNew).toBe(true); // 10 min ≥ 5 min
    expect(s2b.isNew).toBe(false); // 10 min < 60 min
    expect(s2b.visit.sessionId).toBe(s2.visit.sessionId);
  });

  it('keeps visitors apart', () => {
    const t = tracker();
    const a = t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: () => entry() });
    const b = t.resolve({ siteId: 1, visitorId: '222', now: T0 + 1, timeoutMs: 30 * MIN, entry: () => entry() });
    expect(b.isNew).toBe(true);
    expect(b.visit.sessionId).not.toBe(a.visit.sessionId);
  });

  it('an event older than the last one (out of order) continues the visit without moving lastSeenAt back', () => {
    const t = tracker();
    t.resolve({ siteId: 1, visitorId: '111', now: T0, timeoutMs: 30 * MIN, entry: () => entry() });
    t.resolve({ siteId: 1, visitorId: '111', now: T0 + 10 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
    const late = t.resolve({ siteId: 1, visitorId: '111', now: T0 + 5 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
    expect(late.isNew).toBe(false);
    expect(late.visit.lastSeenAt).toBe(T0 + 10 * MIN);
  });

  it('calls entry() only when a visit starts', () => {
    const t = tracker();
    const make = vi.fn(() => entry());
    for (let i = 0; i < 10; i++) t.resolve({ siteId: 1, visitorId: '111', now: T0 + i * MIN, timeoutMs: 30 * MIN, entry: make });
    expect(make).toHaveBeenCalledTimes(1);
    t.resolve({ siteId: 1, visitorId: '111', now: T0 + 9 * MIN + 30 * MIN, timeoutMs: 30 * MIN, entry: make });
    expect(make).toHaveBeenCalledTimes(2);
    t.resolve({ siteId: 1, visitorId: '333', now: T0 + 40 * MIN, timeoutMs: 30 * MIN, entry: make });
    expect(make).toHaveBeenCalledTimes(3);
  });
});

describe('SessionTracker across UTC midnight', () => {
  const beforeMidnight = Date.parse('2026-03-10T23:50:00.000Z');
  const afterMidnight = Date.parse('2026-03-11T00:05:00.000Z');
  const ip = '198.51.100.23';
  const ua = 'Mozilla/5.0 (Macintosh) Safari/605.1.15';

  it('continues a visit under its old visitor id when the new-day id differs but the previous-day id matches', async () => {
    const salts = new SaltStore(meta.db);
    const t = tracker();
    await salts.rotate(beforeMidnight);
    const oldId = visitorIdOf(salts.saltFor(beforeMidnight)!, 7, ip, ua);
    const first = t.resolve({ siteId: 7, visitorId: oldId, now: beforeMidnight, timeoutMs: 30 * MIN, entry: () => entry() });

    await salts.rotate(afterMidnight);
    const newId = visitorIdOf(salts.saltFor(afterMidnight)!, 7, ip, ua);
    const prevId = visitorIdOf(salts.previousSaltFor(afterMidnight)!, 7, ip, ua);
    expect(newId).not.toBe(oldId);
    expect(prevId).toBe(oldId);

    const make = vi.fn(() => entry('direct'));
    const r = t.resolve({ siteId: 7, visitorId: newId, previousVisitorId: prevId, now: afterMidnight, timeoutMs: 30 * MIN, entry: make });
    expect(r.isNew).toBe(false);
    expect(make).not.toHaveBeenCalled();
    expect(r.visit.visitorId).toBe(oldId);
    expect(r.visit.sessionId).toBe(first.visit.sessionId);
    expect(r.visit.startedAt).toBe(beforeMidnight);
    expect(r.visit.lastSeenAt).toBe(afterMidnight);
    expect(r.visit.entry.source).toBe('google');

    // and the next event after midnight still finds it
    const r2 = t.resolve({ siteId: 7, visitorId: newId, previousVisitorId: prevId, now: afterMidnight + 20 * MIN, timeoutMs: 30 * MIN, entry: make });
    expect(r2.isNew).toBe(false);
    expect(r2.visit.sessionId).toBe(first.visit.sessionId);
    expect(r2.visit.visitorId).toBe(oldId);
    expect(make).not.toHaveBeenCalled();
    expect(t.size).toBe(1);

    // the write-behind row is the old visitor id's
    await t.flush(afterMidnight + 20 * MIN);
    const stored = await rows();
    expect(stored.map((s) => [s.siteId, s.visitorId, s.sessionId])).toEqual([[7, oldId, first.visit.sessionId]]);
    expect(stored[0]!.lastSeenAt.getTime()).toBe(afterMidnight + 20 * MIN);
  });

  it('starts a new visit under the new id when the carried-over visit has timed out', () => {
    const t = tracker();
    t.resolve({ siteId: 7, visitorId: 'old', now: beforeMidnight - 40 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
    const make = vi.fn(() => entry('direct'));
    const r = t.resolve({ siteId: 7, visitorId: 'new', previousVisitorId: 'old', now: afterMidnight, timeoutMs: 30 * MIN, entry: make });
    expect(r.isNew).toBe(true);
    expect(make).toHaveBeenCalledTimes(1);
    expect(r.visit.visitorId).toBe('new');
  });

  it('does not carry a visit over from another site', () => {
    const t = tracker();
    t.resolve({ siteId: 8, visitorId: 'old', now: beforeMidnight, timeoutMs: 30 * MIN, entry: () => entry() });
    const r = t.resolve({ siteId: 7, visitorId: 'new', previousVisitorId: 'old', now: afterMidnight, timeoutMs: 30 * MIN, entry: () => entry() });
    expect(r.isNew).toBe(true);
    expect(r.visit.visitorId).toBe('new');
  });

  it('prefers a live visit under the new id over one under the previous id', () => {
    const t = tracker();
    const old = t.resolve({ siteId: 7, visitorId: 'old', now: beforeMidnight, timeoutMs: 30 * MIN, entry: () => entry() });
    const fresh = t.resolve({ siteId: 7, visitorId: 'new', now: afterMidnight - 1 * MIN, timeoutMs: 30 * MIN, entry: () => entry() });
    const r = t.resolve({ siteId: 7, visitorId: 'new', previousVisitorId: 'old', now: afterMidnight, timeoutMs: 30 * MIN, entry: () => entry() });
    expect(r.isNew).toBe(false);
    expect(r.visit.sessionId).toBe(fresh.visit.sessionId);
    expect(r.visit.sessionId).not.toBe(old.visit.sessionId);
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
