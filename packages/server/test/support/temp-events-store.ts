// A migrated chDB events store in a temporary folder for one test file: opened before its tests, removed after them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openChdbStore, type ChdbEventStore } from '../../src/stores/events/chdb-store.js';
import { migrateEvents } from '../../src/stores/events/migrations.js';

export function tempEventsStore(name: string): { readonly store: ChdbEventStore } {
  const dir = mkdtempSync(join(tmpdir(), `eesee-${name}-`));
  const temp = { store: undefined as unknown as ChdbEventStore };
  beforeAll(async () => {
    temp.store = openChdbStore(dir);
    await migrateEvents(temp.store);
  });
  afterAll(async () => {
    await temp.store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return temp;
}
