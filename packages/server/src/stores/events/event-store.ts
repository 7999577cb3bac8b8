// The port to the events store: ClickHouse SQL run either in-process (chDB) or on a ClickHouse server.

/** Query parameters bound server-side as {name:Type}; values never enter the SQL text. */
export type QueryParams = Record<string, string | number | boolean | null | readonly (string | number)[]>;

export interface EventStore {
  /** Which engine answers: 'chdb' (embedded) or 'clickhouse' (server over HTTP). */
  readonly kind: 'chdb' | 'clickhouse';
  /** Runs a SELECT and returns its rows as objects (JSONEachRow). 64-bit integers come back as strings. */
  query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]>;
  /** Runs a statement that returns nothing (DDL, ALTER, DELETE). */
  command(sql: string, params?: QueryParams): Promise<void>;
  /**
   * Inserts rows given as JSONEachRow text (one JSON object per line).
   * `dedupToken` makes a retried insert of the same batch a no-op.
   */
  insertJsonEachRow(table: string, rows: string | Buffer, dedupToken?: string): Promise<void>;
  close(): Promise<void>;
}
