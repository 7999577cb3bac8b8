// The spool keeps every accepted row through an events-store outage and replays what a dead process left behind.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DurableWriter } from '../src/ingest/durable-writer.js';
import { openClickHouseStore } from '../src/stores/events/clickhouse-store.js';
import { migrateEvents } from '../src/stores/events/migrations.js';
import { startClickHouseHttpOnChdb, type ClickHouseHttpOnChdb } from './support/clickhouse-http-on-chdb.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'eesee-spool-'));
let server: ClickHouseHttpOnChdb;
let port: number;

beforeAll(async () => {
  server = await startClickHouseHttpOnChdb(path.join(dir, 'ch'));
  port = Number(new URL(server.url).port);
  const store = openClickHouseStore({ url: server.url, compression: false });
  await migrateEvents(store);
  await store.close();
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const row = (i: number) => ({ site_id: 7, ts: 1_767_225_600_000 + i, type: 'pageview', pathname: `/p/${i}`, visitor_id: String(i), session_id: String(i) });

async function countRows(url: string): Promise<number> {
  const store = openClickHouseStore({ url, compression: false });
  const [r] = await store.query<{ c: string }>('SELECT count() AS c FROM events WHERE site_id = 7');
  await store.close();
  return Number(r!.c);
}

it('keeps accepting during an outage and inserts everything, once, when the store is back', async () => {
  const store = openClickHouseStore({ url: server.url, compression: false, requestTimeoutMs: 2000 });
  const errors: unknown[] = [];
  const writer = new DurableWriter({ dir: path.join(dir, 'spool'), table: 'events', store, maxRows: 100, flushIntervalMs: 50, onError: (e) => errors.push(e) });
  await writer.start();
  for (let i = 0; i < 250; i++) writer.append([row(i)]);
  await writer.flush();
  expect(await countRows(server.url)).toBe(250);

  await server.close(); // ClickHouse goes away
  for (let i = 250; i < 1250; i++) writer.append([row(i)]);
  await new Promise((r) => setTimeout(r, 1500));
  expect(errors.length).toBeGreaterThan(0);
  expect(writer.pendingSegments).toBeGreaterThan(0);

  server = await startClickHouseHttpOnChdb(path.join(dir, 'ch'), port); // and comes back
  await expect.poll(() => writer.pendingSegments, { timeout: 45_000, interval: 200 }).toBe(0);
  expect(await countRows(server.url)).toBe(1250);
  expect(writer.insertedRows).toBe(1250);
  await writer.close();
  await store.close();
});

it('replays segments an earlier process left open, and a replayed batch is not inserted twice', async () => {
  const spool = path.join(dir, 'spool-crash');
  const store = openClickHouseStore({ url: server.url, compression: false });
  const before = await countRows(server.url);
  // A "dead" process: rows appended, never flushed (no close), as after kill -9.
  const dead = new DurableWriter({ dir: spool, table: 'events', store, maxRows: 1_000_000, flushIntervalMs: 3_600_000 });
  for (let i = 0; i < 40; i++) dead.append([row(10_000 + i)]);
  expect(readdirSync(spool).some((f) => f.endsWith('.open'))).toBe(true);

  const next = new DurableWriter({ dir: spool, table: 'events', store });
  await next.start();
  expect(await countRows(server.url)).toBe(before + 40);
  expect(readdirSync(spool).filter((f) => f !== 'rejected')).toEqual([]);
  await next.close();
  await store.close();
});
