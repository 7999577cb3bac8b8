// Deleting rows from the events store: the one way for each table.
import { checkTableName } from './engine-settings.js';
import type { EventStore, QueryParams } from './event-store.js';

/**
 * Tables with a projection (events, migration 4). ClickHouse refuses a lightweight DELETE on them (it would leave the
 * deleted rows in the projection), so their rows go by a mutation that rewrites the parts holding any, projection
 * included; it returns when done.
 */
const WITH_PROJECTIONS = new Set(['events']);

/** Deletes the rows of `table` where `where` (a condition with {name:Type} parameters) holds. */
export async function deleteRows(store: EventStore, table: string, where: string, params: QueryParams): Promise<void> {
  checkTableName(table);
  if (WITH_PROJECTIONS.has(table)) await store.command(`ALTER TABLE ${table} DELETE WHERE ${where} SETTINGS mutations_sync = 2`, params);
  else await store.command(`DELETE FROM ${table} WHERE ${where}`, params);
}
