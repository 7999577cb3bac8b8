// ClickHouse settings and names both events-store engines pin, so chDB and a server answer alike.
import { EventStoreError } from './store-error.js';

/** Applied to every read: 64-bit integers come back as JSON strings (JS numbers would lose digits). */
export const READ_SETTINGS = {
  output_format_json_quote_64bit_integers: 1,
} as const;

/**
 * Applied to every insert. chDB's defaults differ from a server's (chDB: async_insert=1,
 * date_time_input_format='best_effort', input_format_skip_unknown_fields=1), so pin them:
 * - async_insert=0: the batch is written (and deduplicated by its token) before the call returns;
 * - date_time_input_format='basic': 'YYYY-MM-DD hh:mm:ss[.fff]' or epoch, never guessed formats;
 * - input_format_skip_unknown_fields=0: a misspelt column fails the batch instead of vanishing.
 */
export function insertSettings(dedupToken?: string): Record<string, string | number> {
  const settings: Record<string, string | number> = {
    async_insert: 0,
    date_time_input_format: 'basic',
    input_format_skip_unknown_fields: 0,
  };
  if (dedupToken !== undefined) settings.insert_deduplication_token = dedupToken;
  return settings;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** Table names are spliced into INSERT text, so only `name` or `db.name` of [A-Za-z0-9_] pass. */
export function checkTableName(table: string): string {
  if (!TABLE_NAME.test(table)) throw new EventStoreError(`invalid table name ${JSON.stringify(table)}`);
  return table;
}
