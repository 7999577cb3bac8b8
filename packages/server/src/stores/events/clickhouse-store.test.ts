// The events store over HTTP: the shared contract run through @clickhouse/client against chDB behind a fake server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startClickHouseHttpOnChdb } from '../../../test/support/clickhouse-http-on-chdb.js';
import { describeEventStoreContract } from '../../../test/support/event-store-contract.js';
import { openChdbStore } from './chdb-store.js';
import { openClickHouseStore } from './clickhouse-store.js';
import { EventStoreError } from './store-error.js';

// The fake server and the direct chDB store below share one data directory (one per process).
const dataDir = mkdtempSync(join(tmpdir(), 'eesee-clickhouse-store-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

for (const compression of [true, false]) {
  describeEventStoreContract(`clickhouse over HTTP (compression ${compression ? 'on' : 'off'})`, 'clickhouse', async () => {
    const server = await startClickHouseHttpOnChdb(dataDir);
    const store = openClickHouseStore({ url: server.url, username: 'default', password: '', compression });
    return {
      store,
      teardown: async () => {
        await store.close();
        await server.close();
      },
    };
  });
}

describe('ClickHouseEventStore specifics', () => {
  it('uses the configured database, shared with chDB on the same data', async () => {
    const server = await startClickHouseHttpOnChdb(dataDir);
    const direct = openChdbStore(dataDir);
    await direct.command('CREATE DATABASE IF NOT EXISTS analytics');
    await direct.command('CREATE TABLE analytics.hits (n UInt32) ENGINE = MergeTree ORDER BY n');
    const store = openClickHouseStore({ url: server.url, database: 'analytics' });
    await store.insertJsonEachRow('hits', '{"n":5}\n');
    expect(await store.query('SELECT n FROM hits')).toEqual([{ n: 5 }]);
    expect(await direct.query('SELECT n FROM analytics.hits')).toEqual([{ n: 5 }]);
    await store.close();
    await direct.close();
    await server.close();
  });

  it('carries large array parameters in the URL', async () => {
    const server = await startClickHouseHttpOnChdb(dataDir);
    const store = openClickHouseStore({ url: server.url });
    const ids = Array.from({ length: 20_000 }, (_, i) => i);
    expect(await store.query('SELECT length({ids:Array(UInt32)}) AS n', { ids })).toEqual([{ n: '20000' }]);
    await store.close();
    await server.close();
  });

  it('gives statements that return nothing (mutations, DDL) their own, longer timeout', async () => {
    const server = await startClickHouseHttpOnChdb(dataDir);
    const store = openClickHouseStore({ url: server.url, requestTimeoutMs: 300, commandTimeoutMs: 20_000 });
    // About 1.2 s on the server: longer than a query may take here, well within a command's time.
    const slow = 'SELECT sleepEachRow(0.4) FROM numbers(3)';
    await expect(store.query(slow)).rejects.toThrow(/ClickHouse request failed/);
    await expect(store.command(slow)).resolves.toBeUndefined();
    await store.close();
    await server.close();
  });

  it('reports an unreachable server as an EventStoreError', async () => {
    const server = await startClickHouseHttpOnChdb(dataDir);
    const { url } = server;
    await server.close();
    const store = openClickHouseStore({ url, requestTimeoutMs: 2_000 });
    await expect(store.query('SELECT 1')).rejects.toBeInstanceOf(EventStoreError);
    await expect(store.query('SELECT 1')).rejects.toThrow(/ClickHouse request failed/);
    await store.close();
    await expect(store.query('SELECT 1')).rejects.toThrow(/closed/);
  });
});
