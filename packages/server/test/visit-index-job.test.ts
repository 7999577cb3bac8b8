// The visit index job: one run at a time, in this process and, on PostgreSQL, across instances sharing an events store.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { applySiteRetention } from '../src/jobs/retention.js';
import { startVisitIndexJob } from '../src/jobs/visit-index-job.js';
import { createVisitIndexLock, VISIT_INDEX_LOCK_KEY } from '../src/jobs/visit-index-lock.js';
import { openChdbStore } from '../src/stores/events/chdb-store.js';
import { migrateEvents } from '../src/stores/events/migrations.js';
import { openMetaStore, type MetaStore } from '../src/stores/meta/meta-store.js';
import { eventRow, toNdjson } from './analytics/dataset.js';
import { freshPostgresDatabase, postgresAvailable } from './support/test-eesee.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'eesee-visit-index-job-'));
const events = openChdbStore(path.join(dir, 'events'));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await events.close();
  rmSync(dir, { recursive: true, force: true });
});

const SESSIONS = 50;
async function insertVisits(from: number): Promise<void> {
  const rows = Array.from({ length: SESSIONS * 2 }, (_, i) =>
    eventRow({ ts: Date.UTC(2026, 4, 19, 9, 0, i), visitor_id: String(from + (i >> 1)), session_id: String(from + (i >> 1)), pathname: `/p${i % 2}` }),
  );
  await events.insertJsonEachRow('events', toNdjson(rows));
  await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Per session, the sum of the signs of its rows: 1 for each indexed visit, whatever the runs were. */
async function netPerSession(): Promise<number[]> {
  const rows = await events.query<{ net: string }>('SELECT toString(sum(sign)) AS net FROM visits GROUP BY session_id');
  return rows.map((r) => Number(r.net));
}

async function runTogether(metas: MetaStore[], rounds: number, firstId: number): Promise<void> {
  const jobs = metas.map((m) => startVisitIndexJob(createVisitIndexLock(m), events, (err) => { throw err; }, { intervalMs: 3_600_000, visibilityMarginMs: 0 }));
  try {
    for (let r = 0; r < rounds; r++) {
      await insertVisits(firstId + 1000 * r);
      // Each instance asks for a run at the same moment, twice over.
      await Promise.all(jobs.flatMap((j) => [j.runNow(), j.runNow()]));
    }
  } finally {
    await Promise.all(jobs.map((j) => j.stop()));
  }
}

it('runs one at a time in one process', async () => {
  await migrateEvents(events);
  const meta = await openMetaStore({ dataDir: path.join(dir, 'pglite') });
  cleanups.push(() => meta.close());
  await runTogether([meta], 3, 1000);
  const net = await netPerSession();
  expect(net).toHaveLength(3 * SESSIONS);
  expect(net.every((n) => n === 1)).toBe(true);
});

it('lets one writer through at a time, in the order they came, in one process', async () => {
  const lock = createVisitIndexLock();
  const log: string[] = [];
  const writer = (name: string, ms: number) => async () => {
    log.push(`${name} starts`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    log.push(`${name} ends`);
    return name;
  };
  expect(await Promise.all([lock.run(writer('a', 30)), lock.tryRun(writer('b', 1)), lock.run(writer('c', 1))])).toEqual(['a', 'b', 'c']);
  expect(log).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
  // A writer that fails does not hold up the next.
  await expect(lock.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  expect(await lock.run(async () => 'next')).toBe('next');
});

describe.skipIf(!(await postgresAvailable()))('on PostgreSQL', () => {
  it('runs one at a time across instances sharing the events store (advisory lock)', async () => {
    const db = await freshPostgresDatabase();
    cleanups.push(db.drop);
    const metas = [await openMetaStore({ databaseUrl: db.url, dataDir: dir }), await openMetaStore({ databaseUrl: db.url, dataDir: dir })];
    cleanups.push(async () => {
      for (const m of metas) await m.close();
    });
    await runTogether(metas, 3, 100_000);
    const net = await netPerSession();
    expect(net).toHaveLength(6 * SESSIONS);
    expect(net.every((n) => n === 1)).toBe(true);

    // While another instance holds the lock, a run is skipped; once it lets go, runs go on.
    const runs = async () => Number((await events.query<{ n: string }>('SELECT toString(count()) AS n FROM visits_progress'))[0]!.n);
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    const job = startVisitIndexJob(createVisitIndexLock(metas[0]!), events, (err) => { throw err; }, { intervalMs: 3_600_000, visibilityMarginMs: 0 });
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [VISIT_INDEX_LOCK_KEY]);
      const runsBefore = await runs();
      await job.runNow();
      expect(await runs()).toBe(runsBefore);
      await other.query('COMMIT');
      await job.runNow();
      expect(await runs()).toBe(runsBefore + 1);

      // Retention (like site deletion) waits for the other instance instead of skipping: it must run.
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [VISIT_INDEX_LOCK_KEY]);
      const stored = async () => Number((await events.query<{ n: string }>('SELECT toString(count()) AS n FROM events WHERE site_id = 1'))[0]!.n);
      const before = await stored();
      expect(before).toBeGreaterThan(0);
      let done = false;
      // Every event here is months old: a retention of 30 days deletes them all, once it may.
      const retention = applySiteRetention(events, createVisitIndexLock(metas[1]!), 1, 30).then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect({ done, stored: await stored() }).toEqual({ done: false, stored: before });
      await other.query('COMMIT');
      await retention;
      expect(await stored()).toBe(0);
    } finally {
      await job.stop();
      await other.end();
    }
  });
});
