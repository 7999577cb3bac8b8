// An events store made by an earlier release is brought up to the current schema without losing or changing a row.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openChdbStore } from '../src/stores/events/chdb-store.js';
import { EVENTS_MIGRATIONS, migrateEvents } from '../src/stores/events/migrations.js';

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
