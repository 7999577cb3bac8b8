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
  /** Per request; default 30 s. */
  requestTimeoutMs?: number;
  /** gzip request bodies and responses; default true. */
  compression?: boolean;
}

export function openClickHouseStore(config: ClickHouseStoreConfig): ClickHouseEventStore {
  return new ClickHouseEventStore(config);
}

export class ClickHouseEventStore implements EventStore {
  readonly kind = 'clickhouse' as const;
  readonly #client: ClickHouseClient;
  #closed = false;

  constructor(config: ClickHouseStoreConfig) {
    const compression = config.compression ?? true;
    this.#client = createClient({
      url: config.url,
      username: config.username,
      password: config.password,
      database: config.database,
      request_timeout: config.requestTimeoutMs,
      compression: { request: compression, response: compression },
      clickhouse_settings: READ_SETTINGS,
      // Every failure reaches the caller as a rejected EventStoreError; the client need not log it too.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  async query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]> {
    return this.#run(sql, async (c) => {
      const result = await c.query({ query: sql, format: 'JSONEachRow', query_params: params });
      return result.json<T>();
    });
  }

  async command(sql: string, params?: QueryParams): Promise<void> {
    await this.#run(sql, (c) => c.command({ query: sql, query_params: params }));
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
    await this.#client.close();
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
