// Events store on a ClickHouse server, spoken to over HTTP with the official @clickhouse/client.
import { Readable } from 'node:stream';
import { ClickHouseError, ClickHouseLogLevel, createClient, drainStream, type ClickHouseClient } from '@clickhouse/client';
import type { EventStore, QueryParams } from './event-store.js';
import { READ_SETTINGS, checkTableName, insertSettings } from './engine-settings.js';
import { EventStoreError, formatClickHouseError } from './store-error.js';

export interface ClickHouseStoreConfig {
  /** e.g. http://localhost:8123 */
  url: string;
  username?: string;
  password?: string;
  database?: string;
  /** Per query or insert; default 30 s. */
  requestTimeoutMs?: number;
  /**
   * Per statement that returns nothing (DDL, mutations, OPTIMIZE); default one hour: deleting a site's rows rewrites
   * the parts holding them, and a migration may build a projection over the whole table, in minutes on a large one.
   */
  commandTimeoutMs?: number;
  /** gzip request bodies and responses; default true. */
  compression?: boolean;
}

export function openClickHouseStore(config: ClickHouseStoreConfig): ClickHouseEventStore {
  return new ClickHouseEventStore(config);
}

export class ClickHouseEventStore implements EventStore {
  readonly kind = 'clickhouse' as const;
  readonly #client: ClickHouseClient;
  /** The same connection settings with the commands' timeout (a client has one timeout for all its requests). */
  readonly #commandClient: ClickHouseClient;
  #closed = false;

  constructor(config: ClickHouseStoreConfig) {
    const compression = config.compression ?? true;
    const clientFor = (timeoutMs: number | undefined) =>
      createClient({
        url: config.url,
        username: config.username,
        password: config.password,
        database: config.database,
        request_timeout: timeoutMs,
        compression: { request: compression, response: compression },
        clickhouse_settings: READ_SETTINGS,
        // Every failure reaches the caller as a rejected EventStoreError; the client need not log it too.
        log: { level: ClickHouseLogLevel.OFF },
      });
    this.#client = clientFor(config.requestTimeoutMs);
    this.#commandClient = clientFor(config.commandTimeoutMs ?? 3_600_000);
  }

  async query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]> {
    return this.#run(sql, async (c) => {
      const result = await c.query({ query: sql, format: 'JSONEachRow', query_params: params });
      return result.json<T>();
    });
  }

  async command(sql: string, params?: QueryParams): Promise<void> {
    await this.#run(sql, () => this.#commandClient.command({ query: sql, query_params: params }));
  }

  async insertJsonEachRow(table: string, rows: string | Buffer, dedupToken?: string): Promise<void> {
    checkTableName(table);
    if (rows.length === 0) return;
    const sql = `INSERT INTO ${table} FORMAT JSONEachRow`;
    const body = typeof rows === 'string' ? Buffer.from(rows) : rows;
    // client.insert() wants objects for JSON formats; exec() sends already-encoded bytes as they are.
    await this.#run(sql, async (c) => {
      const result = await c.exec({
        query: sql,
        values: Readable.from([body], { objectMode: false }),
        clickhouse_settings: insertSettings(dedupToken),
      });
      await drainStream(result.stream);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#client.close(), this.#commandClient.close()]);
  }

  async #run<R>(sql: string, op: (c: ClickHouseClient) => Promise<R>): Promise<R> {
    if (this.#closed) throw new EventStoreError('events store (clickhouse) is closed', { sql });
    try {
      return await op(this.#client);
    } catch (e) {
      throw toStoreError(e, sql);
    }
  }
}

function toStoreError(e: unknown, sql: string): EventStoreError {
  if (e instanceof EventStoreError) return e;
  if (e instanceof ClickHouseError) {
    const code = Number(e.code);
    const type = e.type ?? 'UNKNOWN_EXCEPTION';
    return new EventStoreError(formatClickHouseError(code, type, e.message.trim()), { code, type, sql, cause: e });
  }
  const text = e instanceof Error ? e.message : String(e);
  return new EventStoreError(`ClickHouse request failed: ${text}`, { sql, cause: e });
}
