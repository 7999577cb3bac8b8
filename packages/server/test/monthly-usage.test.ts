// MonthlyUsage on a real PGlite metadata store and a real chDB events store: limits, counting, month turns.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MonthlyUsage } from '../src/ingest/monthly-usage.js';
import { openChdbStore, type ChdbEventStore } from '../src/stores/events/chdb-store.js';
import { migrateEvents } from '../src/stores/events/migrations.js';
import { openMetaStore, type MetaStore } from '../src/stores/meta/meta-store.js';
import { organization, site } from '../src/stores/meta/schema.js';

// chDB binds one data directory per process (vitest runs each file in its own fork): one dir for this file.
const chdbDir = mkdtempSync(join(tmpdir(), 'eesee-usage-chdb-'));
const metaDir = mkdtempSync(join(tmpdir(), 'eesee-usage-meta-'));
let meta: MetaStore;
let events: ChdbEventStore;

beforeAll(async () => {
  meta = await openMetaStore({ dataDir: metaDir });
  events = openChdbStore(chdbDir);
  await migrateEvents(events);
});
afterAll(async () => {
  await events?.close();
  await meta?.close();
  rmSync(chdbDir, { recursive: true, force: true });
  rmSync(metaDir, { recursive: true, force: true });
});

const JUNE_15 = Date.UTC(2026, 5, 15, 12, 0, 0);

/** An organisation with `sites` sites; limit null = unlimited. */
async function makeOrg(limit: number | null, sites = 1): Promise<{ orgId: string; siteIds: number[] }> {
  const orgId = randomUUID();
  await meta.db.insert(organization).values({ id: orgId, name: 'Org', slug: `org-${orgId}` });
  if (limit !== null) await meta.db.update(organization).set({ monthlyEventLimit: limit }).where(eq(organization.id, orgId));
  const siteIds: number[] = [];
  for (let i = 0; i < sites; i++) {
    const [row] = await meta.db.insert(site).values({ organizationId: orgId, name: `s${i}`, domain: `s${i}.example.com` }).returning({ id: site.id });
    siteIds.push(row!.id);
  }
  return { orgId, siteIds };
}

/** Inserts `n` events for a site at `ms` (+1 ms each). */
async function addEvents(siteId: number, n: number, ms: number): Promise<void> {
  if (n === 0) return;
  const lines = Array.from({ length: n }, (_, i) => {
    const ts = new Date(ms + i).toISOString().replace('T', ' ').replace('Z', '');
    return JSON.stringify({ site_id: siteId, ts, type: 'pageview', visitor_id: String(1000 + i), session_id: String(2000 + i) });
  });
  await events.insertJsonEachRow('events', lines.join('\n') + '\n');
}

async function countTrue(usage: MonthlyUsage, orgId: string, now: number, attempts: number): Promise<number> {
  let ok = 0;
  for (let i = 0; i < attempts; i++) if (await usage.tryCount(orgId, now)) ok++;
  return ok;
}

describe('MonthlyUsage', () => {
  it('the test events are in the store as inserted (sanity)', async () => {
    const { siteIds } = await makeOrg(null);
    await addEvents(siteIds[0]!, 3, JUNE_15);
    const [row] = await events.query<{ c: string }>('SELECT count() AS c FROM events WHERE site_id = {s:UInt32}', { s: siteIds[0]! });
    expect(row!.c).toBe('3');
  });

  it('an unlimited organisation is always allowed and never queries the events store', async () => {
    const { orgId, siteIds } = await makeOrg(null, 2);
    await addEvents(siteIds[0]!, 50, JUNE_15 - 86_400_000);
    const usage = new MonthlyUsage(meta.db, events);
    const spy = vi.spyOn(events, 'query');
    try {
      expect(await countTrue(usage, orgId, JUNE_15, 500)).toBe(500);
      // also across a refresh and a month turn
      expect(await usage.tryCount(orgId, JUNE_15 + 10 * 60_000)).toBe(true);
      expect(await usage.tryCount(orgId, Date.UTC(2026, 6, 1))).toBe(true);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('an organisation that does not exist is treated as unlimited', async () => {
    const usage = new MonthlyUsage(meta.db, events);
    expect(await countTrue(usage, 'no-such-org', JUNE_15, 5)).toBe(5);
  });

  it('with limit N and K events already this month, allows exactly N - K more', async () => {
    const { orgId, siteIds } = await makeOrg(10, 2);
    const [a, b] = siteIds as [number, number];
    await addEvents(a, 3, Date.UTC(2026, 5, 1, 0, 0, 0)); // first millisecond of the month counts
    await addEvents(b, 4, Date.UTC(2026, 5, 14, 8));
    // not counted: last month, and another organisation's site this month
    await addEvents(a, 20, Date.UTC(2026, 4, 31, 23, 59, 59) + 900); // 23:59:59.900 .. 59.919 of May 31st
    const other = await makeOrg(null);
    await addEvents(other.siteIds[0]!, 30, JUNE_15);

    const usage = new MonthlyUsage(meta.db, events);
    expect(await countTrue(usage, orgId, JUNE_15, 3)).toBe(3); // 10 - 7
    expect(await usage.tryCount(orgId, JUNE_15)).toBe(false);
    expect(await usage.tryCount(orgId, JUNE_15 + 1000)).toBe(false);
    expect(await usage.tryCount(orgId, Date.UTC(2026, 5, 30, 23, 59, 59, 999))).toBe(false);
  });

  it('an organisation already over its limit is refused at once', async () => {
    const { orgId, siteIds } = await makeOrg(5);
    await addEvents(siteIds[0]!, 8, Date.UTC(2026, 5, 2));
    const usage = new MonthlyUsage(meta.db, events);
    expect(await usage.tryCount(orgId, JUNE_15)).toBe(false);
  });

  it('a limit of 0 refuses everything; a limited organisation without sites starts from 0', async () => {
    const zero = await makeOrg(0);
    const noSites = await makeOrg(4, 0);
    const usage = new MonthlyUsage(meta.db, events);
    expect(await usage.tryCount(zero.orgId, JUNE_15)).toBe(false);
    expect(await countTrue(usage, noSites.orgId, JUNE_15, 6)).toBe(4);
  });

  it('organisations are counted separately', async () => {
    const x = await makeOrg(2);
    const y = await makeOrg(3);
    const usage = new MonthlyUsage(meta.db, events);
    expect(await countTrue(usage, x.orgId, JUNE_15, 5)).toBe(2);
    expect(await countTrue(usage, y.orgId, JUNE_15, 5)).toBe(3);
  });

  it('concurrent calls on a cold organisation still allow exactly N - K', async () => {
    const { orgId, siteIds } = await makeOrg(12);
    await addEvents(siteIds[0]!, 5, Date.UTC(2026, 5, 3));
    const usage = new MonthlyUsage(meta.db, events);
    const results = await Promise.all(Array.from({ length: 30 }, () => usage.tryCount(orgId, JUNE_15)));
    expect(results.filter(Boolean)).toHaveLength(7);
  });

  it('a new UTC month starts from the events of that month', async () => {
    const { orgId, siteIds } = await makeOrg(4);
    await addEvents(siteIds[0]!, 1, Date.UTC(2026, 5, 10));
    const usage = new MonthlyUsage(meta.db, events);
    expect(await countTrue(usage, orgId, JUNE_15, 10)).toBe(3);
    const lastMs = Date.UTC(2026, 5, 30, 23, 59, 59, 999);
    expect(await usage.tryCount(orgId, lastMs)).toBe(false);

    const july1 = Date.UTC(2026, 6, 1, 0, 0, 0, 0);
    expect(await countTrue(usage, orgId, july1, 10)).toBe(4);
    expect(await usage.tryCount(orgId, july1 + 5_000)).toBe(false);
  });

  it('a new month counts the events already stored for it (e.g. after a restart)', async () => {
    const { orgId, siteIds } = await makeOrg(4);
    await addEvents(siteIds[0]!, 2, Date.UTC(2026, 6, 20)); // July
    const usage = new MonthlyUsage(meta.db, events);
    expect(await countTrue(usage, orgId, Date.UTC(2026, 6, 31, 12), 10)).toBe(2); // July: 2 stored
    await addEvents(siteIds[0]!, 3, Date.UTC(2026, 7, 1, 0, 0, 1)); // August, e.g. written by another instance
    expect(await countTrue(usage, orgId, Date.UTC(2026, 7, 2), 10)).toBe(1); // August: 3 stored
  });

  it('picks up a changed limit after the refresh interval', async () => {
    const { orgId, siteIds } = await makeOrg(null);
    await addEvents(siteIds[0]!, 6, Date.UTC(2026, 5, 5));
    const usage = new MonthlyUsage(meta.db, events, 1_000);
    expect(await countTrue(usage, orgId, JUNE_15, 3)).toBe(3); // unlimited

    await meta.db.update(organization).set({ monthlyEventLimit: 8 }).where(eq(organization.id, orgId));
    expect(await usage.tryCount(orgId, JUNE_15 + 500)).toBe(true); // not re-read yet (still unlimited)
    // re-read: the real count comes from the events store (6 stored), so 2 more are allowed
    expect(await countTrue(usage, orgId, JUNE_15 + 2_000, 5)).toBe(2);

    // raising the limit keeps the running count: 8 used, limit 11 -> 3 more
    await meta.db.update(organization).set({ monthlyEventLimit: 11 }).where(eq(organization.id, orgId));
    expect(await countTrue(usage, orgId, JUNE_15 + 4_000, 5)).toBe(3);

    // back to unlimited
    await meta.db.update(organization).set({ monthlyEventLimit: null }).where(eq(organization.id, orgId));
    expect(await countTrue(usage, orgId, JUNE_15 + 6_000, 5)).toBe(5);
  });
});
