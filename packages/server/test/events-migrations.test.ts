// An events store made by an earlier release is brought up to the current schema without losing or changing a row.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openChdbStore } from '../src/stores/events/chdb-store.js';
import { deleteRows } from '../src/stores/events/delete-rows.js';
import { EVENTS_BY_PAGE, EVENTS_MIGRATIONS, migrateEvents } from '../src/stores/events/migrations.js';
import { expectProjectionInStep } from './support/events-projection.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'eesee-events-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PATHS = ['/', '/pricing', '/café', "/it's", '/a/very/long/path?no=query-here', ''];

it('upgrades a store of schema version 1: every row reads back the same, pathname is LowCardinality, old rows carry the epoch as insert time', async () => {
  const store = openChdbStore(dir);
  try {
    await migrateEvents(store, EVENTS_MIGRATIONS.filter((m) => m.version === 1));
    const rows = PATHS.map((pathname, i) => ({ site_id: 3, ts: 1_767_225_600_000 + i * 1000, type: 'pageview', pathname, visitor_id: String(i), session_id: String(100 + i) }));
    await store.insertJsonEachRow('events', rows.map((r) => JSON.stringify(r)).join('\n'));
    const typeOf = async () =>
      (await store.query<{ type: string }>(`SELECT type FROM system.columns WHERE database = currentDatabase() AND table = 'events' AND name = 'pathname'`))[0]!.type;
    expect(await typeOf()).toBe('String');

    await migrateEvents(store);
    expect(await typeOf()).toBe('LowCardinality(String)');
    const versions = await store.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((v) => Number(v.version))).toEqual(EVENTS_MIGRATIONS.map((m) => m.version));
    const back = await store.query<{ pathname: string; session_id: string }>('SELECT pathname, session_id FROM events ORDER BY session_id');
    expect(back.map((r) => r.pathname)).toEqual(PATHS);
    const [byPage] = await store.query<{ n: string }>(`SELECT count() AS n FROM events WHERE pathname = {p:String}`, { p: '/café' });
    expect(Number(byPage!.n)).toBe(1);

    // Version 3: rows stored before it carry the epoch as their insert time (the visit index's first run takes them
    // in); rows written after it carry the time they were written.
    const insertedAt = async () =>
      (await store.query<{ n: string; epoch: string; recent: string }>(
        `SELECT toString(count()) AS n, toString(countIf(inserted_at = toDateTime64(0, 3, 'UTC'))) AS epoch,
           toString(countIf(inserted_at > now64(3) - INTERVAL 1 MINUTE)) AS recent FROM events`,
      ))[0]!;
    expect(await insertedAt()).toEqual({ n: String(PATHS.length), epoch: String(PATHS.length), recent: '0' });
    await store.insertJsonEachRow('events', JSON.stringify({ site_id: 3, ts: 1_767_225_700_000, type: 'pageview', pathname: '/new', visitor_id: '9', session_id: '109' }));
    expect(await insertedAt()).toEqual({ n: String(PATHS.length + 1), epoch: String(PATHS.length), recent: '1' });
    for (const table of ['visits', 'visits_progress']) expect(await store.query(`SELECT count() FROM ${table}`)).toHaveLength(1);

    // Applying again changes nothing.
    await migrateEvents(store);
    expect((await store.query('SELECT version FROM schema_migrations')).length).toBe(EVENTS_MIGRATIONS.length);
  } finally {
    await store.close();
  }
});

it('version 4 adds the page projection without the rows a lightweight DELETE had masked; later deletes keep it in step', async () => {
  const store = openChdbStore(path.join(dir, 'v4'));
  try {
    await migrateEvents(store, EVENTS_MIGRATIONS.filter((m) => m.version <= 3));
    // Enough rows, few of them pageviews, that ClickHouse reads page breakdowns from the projection.
    const rows = Array.from({ length: 60_000 }, (_, i) => ({
      site_id: 1 + (i % 3),
      ts: 1_767_225_600_000 + i * 60_000,
      type: i % 7 === 1 ? 'pageview' : 'event',
      pathname: PATHS[i % PATHS.length],
      visitor_id: String(i % 1_717),
      session_id: String(i % 40),
    }));
    await store.insertJsonEachRow('events', rows.map((r) => JSON.stringify(r)).join('\n'));
    // What an earlier release did on retention or site deletion: a lightweight DELETE, which only masks the rows.
    await store.command('DELETE FROM events WHERE site_id = 2');
    const kept = rows.filter((r) => r.site_id !== 2);

    // The projection first: from then on a lightweight DELETE (an instance of an earlier release) is refused, so no
    // new mask can come in before the masked rows are purged and the projection is built.
    await store.command(EVENTS_MIGRATIONS.find((m) => m.version === 4)!.statements[0]!);
    await expect(store.command('DELETE FROM events WHERE site_id = 3')).rejects.toThrow(/projection/i);
    await migrateEvents(store);
    await expectProjectionInStep(store);
    const byPage = async (settings: string) =>
      store.query<{ pathname: string; visitors: string; pageviews: string }>(
        `SELECT pathname, toString(uniqExact(visitor_id)) AS visitors, toString(count()) AS pageviews FROM events
         WHERE site_id IN (1, 3) AND type = 'pageview' GROUP BY pathname ORDER BY pathname SETTINGS ${settings}`,
      );
    const expected = PATHS.map((p) => {
      const views = kept.filter((r) => r.pathname === p && r.type === 'pageview');
      return { pathname: p, visitors: String(new Set(views.map((r) => r.visitor_id)).size), pageviews: String(views.length) };
    })
      .filter((r) => r.pageviews !== '0')
      .sort((a, b) => (a.pathname < b.pathname ? -1 : 1));
    expect(await byPage('optimize_use_projections = 0')).toEqual(expected);
    expect(await byPage(`force_optimize_projection_name = '${EVENTS_BY_PAGE}'`)).toEqual(expected);
    // The visits containing a page, as a page filter finds them.
    const [visits] = await store.query<{ n: string }>(
      `SELECT toString(uniqExact(session_id)) AS n FROM events WHERE site_id = 3 AND type = 'pageview' AND pathname = '/café'
       SETTINGS force_optimize_projection_name = '${EVENTS_BY_PAGE}'`,
    );
    const expectedVisits = new Set(kept.filter((r) => r.site_id === 3 && r.type === 'pageview' && r.pathname === '/café').map((r) => r.session_id)).size;
    expect(expectedVisits).toBeGreaterThan(1);
    expect(visits!.n).toBe(String(expectedVisits));

    // Deleting through deleteRows (retention, site deletion) rebuilds the projection of the parts concerned.
    const cutoff = 1_767_225_600_000 + 30_000 * 60_000;
    await deleteRows(store, 'events', 'site_id = {site:UInt32} AND ts < fromUnixTimestamp64Milli({cutoff:Int64})', { site: 1, cutoff });
    await expectProjectionInStep(store);
    const [left] = await store.query<{ n: string }>('SELECT toString(count()) AS n FROM events');
    expect(Number(left!.n)).toBe(kept.filter((r) => !(r.site_id === 1 && r.ts < cutoff)).length);
    // A lightweight DELETE, which would leave the projection stale, is refused.
    await expect(store.command('DELETE FROM events WHERE site_id = 3')).rejects.toThrow(/projection/i);
  } finally {
    await store.close();
  }
});
