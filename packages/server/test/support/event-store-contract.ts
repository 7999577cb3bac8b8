// The behaviour every EventStore engine must show: one vitest suite, run against each engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/stores/events/event-store.js';
import { EventStoreError } from '../../src/stores/events/store-error.js';

export interface ContractTarget {
  store: EventStore;
  /** Closes the store and whatever it runs on. */
  teardown(): Promise<void>;
}

/** Strings that break naive quoting; every one must round-trip through a bound parameter. */
export const NASTY_STRINGS = [
  "it's",
  'back\\slash',
  'ends with backslash\\',
  "\\'; DROP TABLE x; --",
  "'; DROP TABLE x; --",
  'line\nbreak\r\nand\ttab',
  '\\N',
  '{name:String}',
  'ünïcødé 日本語 🎉',
  '',
] as const;

const CREATE_EVENTS = (table: string) => `
  CREATE TABLE ${table} (
    site_id UInt32,
    ts DateTime64(3, 'UTC'),
    name LowCardinality(String),
    visitor_id UInt64,
    props Map(String, String)
  ) ENGINE = MergeTree
  PARTITION BY toYYYYMM(ts)
  ORDER BY (site_id, ts)
  SETTINGS non_replicated_deduplication_window = 1000`;

const ROWS = [
  { site_id: 1, ts: '2026-01-01 00:00:00.123', name: 'pageview', visitor_id: '18446744073709551615', props: { plan: 'pro', q: "it's \"quoted\"" } },
  { site_id: 1, ts: 1767225601000, name: 'signup', visitor_id: 42, props: {} },
  { site_id: 2, ts: '2026-01-02 10:20:30', name: 'pageview', visitor_id: '7', props: { path: '/ünï' } },
];
const jsonEachRow = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

export function describeEventStoreContract(
  label: string,
  kind: EventStore['kind'],
  open: () => Promise<ContractTarget>,
): void {
  describe(`EventStore contract: ${label}`, () => {
    let target: ContractTarget;
    let store: EventStore;
    let seq = 0;
    // Suites may share one data directory, so table names carry a per-suite prefix.
    const prefix = `events_${Math.random().toString(36).slice(2, 8)}`;
    /** A fresh events table per test, so tests stay independent. */
    const freshTable = async () => {
      const table = `${prefix}_${++seq}`;
      await store.command(CREATE_EVENTS(table));
      return table;
    };
    const count = async (table: string) => (await store.query<{ c: string }>(`SELECT count() AS c FROM ${table}`))[0]!.c;

    beforeAll(async () => {
      target = await open();
      store = target.store;
    });
    afterAll(async () => {
      await target?.teardown();
    });

    it('names its engine', () => {
      expect(store.kind).toBe(kind);
    });

    it('inserts JSONEachRow and reads rows back with ClickHouse JSON types', async () => {
      const table = await freshTable();
      await store.insertJsonEachRow(table, Buffer.from(jsonEachRow(ROWS)));
      const rows = await store.query(`SELECT * FROM ${table} ORDER BY site_id, ts`);
      expect(rows).toEqual([
        { site_id: 1, ts: '2026-01-01 00:00:00.123', name: 'pageview', visitor_id: '18446744073709551615', props: { plan: 'pro', q: "it's \"quoted\"" } },
        { site_id: 1, ts: '2026-01-01 00:00:01.000', name: 'signup', visitor_id: '42', props: {} },
        { site_id: 2, ts: '2026-01-02 10:20:30.000', name: 'pageview', visitor_id: '7', props: { path: '/ünï' } },
      ]);
      // Aggregates over 64-bit integers are strings too.
      expect(await store.query(`SELECT count() AS c, sum(site_id) AS s, toUInt32(3) AS small FROM ${table}`)).toEqual([
        { c: '3', s: '4', small: 3 },
      ]);
    });

    it('accepts rows as a string and ignores an empty batch', async () => {
      const table = await freshTable();
      await store.insertJsonEachRow(table, jsonEachRow(ROWS.slice(0, 1)));
      await store.insertJsonEachRow(table, '');
      await store.insertJsonEachRow(table, Buffer.alloc(0));
      expect(await count(table)).toBe('1');
    });

    it('binds scalar parameters of each type', async () => {
      const [row] = await store.query(
        `SELECT {site:UInt32} AS site, {big:UInt64} AS big, {neg:Int64} AS neg, {f:Float64} AS f,
                {name:String} AS name, {lc:LowCardinality(String)} AS lc, {ts:DateTime64(3, 'UTC')} AS ts,
                {yes:Bool} AS yes, {none:Nullable(String)} AS none`,
        { site: 7, big: '18446744073709551615', neg: -5, f: 1.5, name: 'pageview', lc: 'x', ts: '2026-01-01 00:00:00.123', yes: true, none: null },
      );
      expect(row).toEqual({
        site: 7, big: '18446744073709551615', neg: '-5', f: 1.5, name: 'pageview', lc: 'x', ts: '2026-01-01 00:00:00.123', yes: true, none: null,
      });
    });

    it('round-trips hostile strings as parameters, alone and in arrays', async () => {
      for (const s of NASTY_STRINGS) {
        const [row] = await store.query<{ s: string; len: string }>('SELECT {s:String} AS s, length({s:String}) AS len', { s });
        expect(row).toEqual({ s, len: String(Buffer.byteLength(s)) });
      }
      const [row] = await store.query<{ names: string[]; n: string }>(
        'SELECT {names:Array(String)} AS names, length({names:Array(String)}) AS n',
        { names: NASTY_STRINGS },
      );
      expect(row).toEqual({ names: [...NASTY_STRINGS], n: String(NASTY_STRINGS.length) });
    });

    it('filters with array parameters (IN lists of numbers and strings)', async () => {
      const table = await freshTable();
      await store.insertJsonEachRow(table, jsonEachRow(ROWS));
      const rows = await store.query(
        `SELECT site_id, name FROM ${table}
         WHERE site_id IN {ids:Array(UInt32)} AND name IN {names:Array(String)} AND ts >= {from:DateTime64(3, 'UTC')}
         ORDER BY ts`,
        { ids: [1, 3], names: ['pageview', 'signup', "'; DROP TABLE x; --"], from: '2026-01-01 00:00:00.500' },
      );
      expect(rows).toEqual([{ site_id: 1, name: 'signup' }]);
      expect(await store.query('SELECT {ids:Array(UInt32)} AS ids', { ids: [] })).toEqual([{ ids: [] }]);
      expect(await store.query(`SELECT count() AS c FROM ${table} WHERE has({ids:Array(UInt64)}, visitor_id)`, { ids: [7, 42] })).toEqual([
        { c: '2' },
      ]);
    });

    it('never lets a parameter change the statement', async () => {
      const table = await freshTable();
      await store.insertJsonEachRow(table, jsonEachRow(ROWS));
      const attack = `x'; DROP TABLE ${table}; --`;
      expect(await store.query(`SELECT count() AS c FROM ${table} WHERE name = {n:String}`, { n: attack })).toEqual([{ c: '0' }]);
      expect(await store.query(`SELECT count() AS c FROM ${table} WHERE name IN {n:Array(String)}`, { n: [attack, `\\${attack}`] })).toEqual([
        { c: '0' },
      ]);
      await store.command(`ALTER TABLE ${table} DELETE WHERE name = {n:String} SETTINGS mutations_sync = 1`, { n: attack });
      expect(await count(table)).toBe('3');
    });

    it('runs commands with parameters', async () => {
      const table = await freshTable();
      await store.insertJsonEachRow(table, jsonEachRow(ROWS));
      await store.command(`ALTER TABLE ${table} DELETE WHERE site_id = {site:UInt32} SETTINGS mutations_sync = 1`, { site: 2 });
      expect(await store.query(`SELECT DISTINCT site_id FROM ${table}`)).toEqual([{ site_id: 1 }]);
    });

    it('makes a retried insert with the same dedup token a no-op', async () => {
      const table = await freshTable();
      const batch = Buffer.from(jsonEachRow(ROWS));
      await store.insertJsonEachRow(table, batch, 'batch-0001');
      await store.insertJsonEachRow(table, batch, 'batch-0001');
      await store.insertJsonEachRow(table, batch, 'batch-0001');
      expect(await count(table)).toBe('3');
      // The token, not the bytes, names the batch: a retry re-serialised differently is still a no-op...
      await store.insertJsonEachRow(table, jsonEachRow(ROWS.slice(0, 1)), 'batch-0001');
      expect(await count(table)).toBe('3');
      // ...and the same rows under a new token are a new batch.
      await store.insertJsonEachRow(table, batch, 'batch-0002');
      expect(await count(table)).toBe('6');
    });

    it('also drops an identical batch sent without a token (content hash; engine behaviour to know)', async () => {
      const table = await freshTable();
      const batch = jsonEachRow(ROWS.slice(0, 2));
      await store.insertJsonEachRow(table, batch);
      await store.insertJsonEachRow(table, batch);
      expect(await count(table)).toBe('2');
    });

    it('rejects with an EventStoreError naming the ClickHouse error', async () => {
      const missing = store.query('SELECT * FROM no_such_table');
      await expect(missing).rejects.toBeInstanceOf(EventStoreError);
      await expect(missing).rejects.toMatchObject({ code: 60, type: 'UNKNOWN_TABLE', message: expect.stringContaining('no_such_table') });
      await expect(store.query('SELEC 1')).rejects.toMatchObject({ code: 62, type: 'SYNTAX_ERROR', message: expect.stringContaining('Syntax error') });
      await expect(store.command('DROP TABLE no_such_table')).rejects.toMatchObject({ code: 60 });
      await expect(store.query('SELECT {x:UInt8} AS x', { x: 'not a number' })).rejects.toBeInstanceOf(EventStoreError);
      await expect(store.query('SELECT {x:UInt8} AS x')).rejects.toMatchObject({ type: 'UNKNOWN_QUERY_PARAMETER' });
    });

    it('refuses bad insert batches and bad table names', async () => {
      const table = await freshTable();
      await expect(store.insertJsonEachRow(table, '{"site_id": "nope"}\n')).rejects.toBeInstanceOf(EventStoreError);
      await expect(store.insertJsonEachRow(table, '{"site_id": 1, "misspelt": 1}\n')).rejects.toMatchObject({ type: 'INCORRECT_DATA' });
      await expect(store.insertJsonEachRow(table, '{"ts": "2026-01-01T00:00:00Z"}\n')).rejects.toBeInstanceOf(EventStoreError);
      await expect(store.insertJsonEachRow(`${table}; DROP TABLE ${table}`, '{}\n')).rejects.toThrow(/invalid table name/);
      await expect(store.insertJsonEachRow('no_such_table', '{}\n')).rejects.toMatchObject({ code: 60 });
      expect(await count(table)).toBe('0');
    });

    it('keeps working after failures', async () => {
      for (let i = 0; i < 3; i++) {
        await expect(store.query('SELECT * FROM nowhere')).rejects.toThrow();
        await expect(store.query('SELECT 1 +')).rejects.toThrow();
      }
      expect(await store.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(await store.query('SELECT {s:String} AS s', { s: 'after' })).toEqual([{ s: 'after' }]);
    });

    it('answers concurrent parameterised queries each with its own values', async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.query<{ n: number; s: string }>('SELECT {n:UInt32} AS n, {s:String} AS s', { n: i, s: `v${i}` }),
        ),
      );
      expect(answers.map((rows) => rows[0])).toEqual(Array.from({ length: 20 }, (_, i) => ({ n: i, s: `v${i}` })));
    });
  });
}
