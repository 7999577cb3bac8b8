// Events store on chDB: ClickHouse SQL run in-process on a data directory (one directory per process).
import { mkdirSync } from 'node:fs';
import { Session, drainPending } from 'chdb';
import type { EventStore, QueryParams } from './event-store.js';
import { READ_SETTINGS, checkTableName, insertSettings } from './engine-settings.js';
import { EventStoreError, formatClickHouseError, parseClickHouseException } from './store-error.js';

/** Opens (creating if needed) the chDB data directory `dir`. */
export function openChdbStore(dir: string): ChdbEventStore {
  return new ChdbEventStore(dir);
}

export class ChdbEventStore implements EventStore {
  readonly kind = 'chdb' as const;
  #session: Session | null;
  readonly #inflight = new Set<Promise<void>>();
  #closing: Promise<void> | undefined;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    try {
      this.#session = new Session(dir);
    } catch (e) {
      // chDB binds one data directory per process: a second directory is refused here.
      throw new EventStoreError(`cannot open chDB at ${dir}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    // Settings are per connection in chDB; SET once so every read on this session quotes 64-bit integers.
    const sets = Object.entries(READ_SETTINGS).map(([k, v]) => `${k} = ${v}`);
    this.#session.query(`SET ${sets.join(', ')}`);
  }

  async query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]> {
    const result = await this.#run(sql, (s) =>
      hasParams(params) ? s.queryBindAsync(sql, params, { format: 'JSONEachRow' }) : s.queryAsync(sql, { format: 'JSONEachRow' }),
    );
    return parseJsonEachRow<T>(result.text());
  }

  async command(sql: string, params?: QueryParams): Promise<void> {
    await this.#run(sql, (s) => (hasParams(params) ? s.queryBindAsync(sql, params) : s.queryAsync(sql)));
  }

  async insertJsonEachRow(table: string, rows: string | Buffer, dedupToken?: string): Promise<void> {
    checkTableName(table);
    if (rows.length === 0) return;
    const settings = insertSettings(dedupToken);
    await this.#run(`INSERT INTO ${table} FORMAT JSONEachRow`, (s) =>
      s.insert({ table, values: rows, format: 'JSONEachRow', settings }),
    );
  }

  /** Refuses new work, waits for running statements, then releases the directory. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const session = this.#session;
      this.#session = null;
      await Promise.all(this.#inflight);
      session?.close();
      // close() defers the native teardown while anything still runs; wait so the directory is free.
      await drainPending();
    })();
    return this.#closing;
  }

  async #run<R>(sql: string, op: (s: Session) => Promise<R>): Promise<R> {
    const session = this.#session;
    if (!session) throw new EventStoreError('events store (chdb) is closed', { sql });
    let running: Promise<R>;
    try {
      running = op(session);
    } catch (e) {
      throw toStoreError(e, sql);
    }
    const settled = running.then(noop, noop);
    this.#inflight.add(settled);
    void settled.then(() => this.#inflight.delete(settled));
    try {
      return await running;
    } catch (e) {
      throw toStoreError(e, sql);
    }
  }
}

function noop(): void {}

function hasParams(params: QueryParams | undefined): params is QueryParams {
  return params !== undefined && Object.keys(params).length > 0;
}

/** JSONEachRow text -> rows; one JSON object per non-empty line. */
export function parseJsonEachRow<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) if (line.length > 0) rows.push(JSON.parse(line) as T);
  return rows;
}

function toStoreError(e: unknown, sql: string): EventStoreError {
  if (e instanceof EventStoreError) return e;
  const text = e instanceof Error ? e.message : String(e);
  const parsed = parseClickHouseException(text);
  if (parsed) {
    const { code, type, message } = parsed;
    return new EventStoreError(formatClickHouseError(code, type, message), { code, type, sql, cause: e });
  }
  const code = (e as { clickhouseCode?: unknown } | null)?.clickhouseCode;
  return new EventStoreError(`chDB: ${text}`, { code: typeof code === 'number' ? code : undefined, sql, cause: e });
}
