// The events store on chDB: the shared contract plus chDB's own lifecycle rules.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEventStoreContract } from '../../../test/support/event-store-contract.js';
import { openChdbStore } from './chdb-store.js';
import { EventStoreError } from './store-error.js';

// chDB binds one data directory per process (and vitest runs each file in its own fork): one dir here.
const dataDir = mkdtempSync(join(tmpdir(), 'eesee-chdb-store-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describeEventStoreContract('chdb', 'chdb', async () => {
  const store = openChdbStore(dataDir);
  return { store, teardown: () => store.close() };
});

describe('ChdbEventStore lifecycle', () => {
  it('keeps data across close and reopen of the same directory', async () => {
    const first = openChdbStore(dataDir);
    await first.command('CREATE TABLE kept (n UInt32) ENGINE = MergeTree ORDER BY n');
    await first.insertJsonEachRow('kept', '{"n":1}\n{"n":2}\n');
    await first.close();
    const second = openChdbStore(dataDir);
    expect(await second.query('SELECT sum(n) AS s FROM kept')).toEqual([{ s: '3' }]);
    await second.close();
  });

  it('waits for running statements on close, then refuses new ones; close is idempotent', async () => {
    const store = openChdbStore(dataDir);
    const running = store.query<{ m: string }>('SELECT max(sipHash64(number)) AS m FROM numbers(3000000)');
    const closed = store.close();
    expect(store.close()).toBe(closed);
    await expect(running).resolves.toHaveLength(1);
    await closed;
    await expect(store.query('SELECT 1')).rejects.toThrow(/closed/);
    await expect(store.insertJsonEachRow('kept', '{"n":1}\n')).rejects.toBeInstanceOf(EventStoreError);
  });

  it('refuses a second data directory in the same process with a clear error', async () => {
    const store = openChdbStore(dataDir);
    const other = mkdtempSync(join(tmpdir(), 'eesee-chdb-other-'));
    try {
      expect(() => openChdbStore(other)).toThrow(EventStoreError);
      expect(() => openChdbStore(other)).toThrow(/cannot open chDB/);
    } finally {
      await store.close();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
