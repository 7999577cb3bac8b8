// Opens the events store the configuration asks for: a ClickHouse server when CLICKHOUSE_URL is set, else chDB in DATA_DIR.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/config.js';
import { openChdbStore } from './chdb-store.js';
import { openClickHouseStore } from './clickhouse-store.js';
import type { EventStore } from './event-store.js';

export async function openEventStore(config: Config): Promise<EventStore> {
  if (config.CLICKHOUSE_URL) {
    return openClickHouseStore({
      url: config.CLICKHOUSE_URL,
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
      database: config.CLICKHOUSE_DATABASE,
    });
  }
  const dir = path.join(config.dataDir, 'events');
  mkdirSync(dir, { recursive: true });
  return openChdbStore(dir);
}
