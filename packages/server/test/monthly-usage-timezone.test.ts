// MonthlyUsage counts per UTC calendar month even when the events engine runs in another time zone.
// chDB takes its time zone from TZ (as a ClickHouse server does from its config); a process of its own (this file) sets it.
process.env.TZ = 'America/New_York';

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonthlyUsage as MonthlyUsageType } from '../src/ingest/monthly-usage.js';
import type { EventStore } from '../src/stores/events/event-store.js';
import type { MetaStore } from '../src/stores/meta/meta-store.js';
import { organization, site } from '../src/stores/meta/schema.js';

const chdbDir = mkdtempSync(join(tmpdir(), 'eesee-usage-tz-chdb-'));
const metaDir = mkdtempSync(join(tmpdir(), 'eesee-usage-tz-meta-'));
let meta: MetaStore;
let events: EventStore;
let MonthlyUsage: typeof MonthlyUsageType;

beforeAll(async () => {
  process.env.TZ = 'America/New_York';
  // imported only now, so that chDB starts with TZ set
  ({ MonthlyUsage } = await import('../src/ingest/monthly-usage.js'));
  const { openChdbStore } = await import('../src/stores/events/chdb-store.js');
  const { migrateEvents } = await import('../src/stores/events/migrations.js');
  const { openMetaStore } = await import('../src/stores/meta/meta-store.js');
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

async function limitedOrgWithSite(limit: number): Promise<{ orgId: string; siteId: number }> {
  const orgId = randomUUID();
  await meta.db.insert(organization).values({ id: orgId, name: 'Org', slug: `org-${orgId}` });
  await meta.db.update(organization).set({ monthlyEventLimit: limit }).where(eq(organization.id, orgId));
  const [row] = await meta.db.insert(site).values({ organizationId: orgId, name: 's', domain: 's.example.com' }).returning({ id: site.id });
  return { orgId, siteId: row!.id };
}

async function addEvents(siteId: number, n: number, ms: number): Promise<void> {
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ site_id: siteId, ts: new Date(ms + i).toISOString().replace('T', ' ').replace('Z', ''), type: 'pageview' }),
  );
  await events.insertJsonEachRow('events', lines.join('\n') + '\n');
}

describe('MonthlyUsage with the events engine in America/New_York', () => {
  it('the engine really runs in that time zone (precondition)', async () => {
    const [row] = await events.query<{ tz: string }>('SELECT timezone() AS tz');
    expect(row!.tz).toBe('America/New_York');
  });

  it("early on the 1st (UTC), last month's events do not count against the new month", async () => {
    const { orgId, siteId } = await limitedOrgWithSite(10);
    await addEvents(siteId, 8, Date.UTC(2026, 5, 15, 12)); // June
    const usage = new MonthlyUsage(meta.db, events);
    // 02:00 UTC on July 1st is still June 30th, 22:00 in New York
    const now = Date.UTC(2026, 6, 1, 2, 0, 0);
    let ok = 0;
    for (let i = 0; i < 12; i++) if (await usage.tryCount(orgId, now)) ok++;
    expect(ok).toBe(10); // July (UTC) has no stored events yet
  });

  it('late on the last day (UTC), this month counts in full', async () => {
    const { orgId, siteId } = await limitedOrgWithSite(10);
    await addEvents(siteId, 6, Date.UTC(2026, 6, 31, 23, 0)); // 23:00 UTC July 31st = 19:00 in New York, same month
    await addEvents(siteId, 2, Date.UTC(2026, 6, 2)); // July 2nd
    const usage = new MonthlyUsage(meta.db, events);
    const now = Date.UTC(2026, 6, 31, 23, 30);
    let ok = 0;
    for (let i = 0; i < 12; i++) if (await usage.tryCount(orgId, now)) ok++;
    expect(ok).toBe(2); // 10 - 8
  });
});
