// The test-only ClickHouse HTTP server, checked at the wire level (what @clickhouse/client relies on).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClickHouseHttpOnChdb, type ClickHouseHttpOnChdb } from './clickhouse-http-on-chdb.js';

const dataDir = mkdtempSync(join(tmpdir(), 'eesee-ch-http-'));
let server: ClickHouseHttpOnChdb;
beforeAll(async () => {
  server = await startClickHouseHttpOnChdb(dataDir);
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (search: Record<string, string>) => fetch(`${server.url}/?${new URLSearchParams(search)}`);
const post = (search: Record<string, string>, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/?${new URLSearchParams(search)}`, { method: 'POST', body, headers });

describe('ClickHouse HTTP interface on chDB', () => {
  it('answers /ping', async () => {
    const res = await fetch(`${server.url}/ping`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Ok.\n');
  });

  it('runs a query from the URL or the body, in default_format or TabSeparated', async () => {
    expect(await (await get({ query: 'SELECT 1, 2' })).text()).toBe('1\t2\n');
    const res = await post({ default_format: 'JSONEachRow', query_id: 'q-1' }, 'SELECT 1 AS x');
    expect(await res.text()).toBe('{"x":1}\n');
    expect(res.headers.get('x-clickhouse-query-id')).toBe('q-1');
    expect(JSON.parse(res.headers.get('x-clickhouse-summary')!)).toMatchObject({ result_rows: '1' });
  });

  it('binds param_ values given in ClickHouse text form', async () => {
    const res = await get({ query: 'SELECT {s:String} AS s, {a:Array(String)} AS a FORMAT JSONEachRow', param_s: "it\\'s\\n", param_a: "['x\\'y','\\\\']" });
    expect(await res.json()).toEqual({ s: "it's\n", a: ["x'y", '\\'] });
  });

  it('appends the body to a query in the URL as INSERT data, applying URL settings', async () => {
    await post({}, 'CREATE TABLE ins (n UInt32) ENGINE = MergeTree ORDER BY n SETTINGS non_replicated_deduplication_window = 10');
    const insert = { query: 'INSERT INTO ins FORMAT JSONEachRow', insert_deduplication_token: 't1' };
    expect((await post(insert, '{"n":1}\n{"n":2}\n')).status).toBe(200);
    expect((await post(insert, '{"n":3}\n')).status).toBe(200);
    expect(await (await get({ query: 'SELECT sum(n) FROM ins' })).text()).toBe('3\n');
  });

  it('speaks gzip both ways', async () => {
    await post({ query: 'INSERT INTO ins FORMAT JSONEachRow' }, new Uint8Array(gzipSync('{"n":10}\n')), { 'Content-Encoding': 'gzip' });
    const res = await fetch(`${server.url}/?${new URLSearchParams({ query: 'SELECT sum(n) FROM ins', enable_http_compression: '1' })}`, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.text()).toBe('13\n'); // fetch decompresses
  });

  it('uses the database parameter', async () => {
    await post({}, 'CREATE DATABASE IF NOT EXISTS other');
    await post({}, 'CREATE TABLE other.t (n UInt8) ENGINE = Memory');
    await post({ database: 'other', query: 'INSERT INTO t FORMAT JSONEachRow' }, '{"n":9}\n');
    expect(await (await get({ database: 'other', query: 'SELECT n FROM t' })).text()).toBe('9\n');
  });

  it('fails like ClickHouse: status 500, exception code header, "Code: N. DB::Exception" text', async () => {
    const res = await get({ query: 'SELECT * FROM missing_table' });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-clickhouse-exception-code')).toBe('60');
    expect(await res.text()).toMatch(/^Code: 60\. DB::Exception: .*missing_table.*\(UNKNOWN_TABLE\) \(version [^)]+\)\n$/s);
    const empty = await post({}, '');
    expect(empty.headers.get('x-clickhouse-exception-code')).toBe('62');
    const badSetting = await get({ query: 'SELECT 1', 'no-such setting': '1' });
    expect(badSetting.headers.get('x-clickhouse-exception-code')).toBe('115');
    expect((await fetch(`${server.url}/elsewhere`)).status).toBe(404);
  });
});
