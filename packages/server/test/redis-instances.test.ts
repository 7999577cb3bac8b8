// Two server instances behind one load balancer: with REDIS_URL they agree on visits, rate limits and the live stream.
// Both share a PostgreSQL database (sites, salts), a ClickHouse endpoint and Redis; each has its own spool.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LiveEvent, RedisLiveBus } from '../src/ingest/live-bus.js';
import { closeRedis, openRedis } from '../src/stores/redis.js';
import { startClickHouseHttpOnChdb, type ClickHouseHttpOnChdb } from './support/clickhouse-http-on-chdb.js';
import { CHROME_UA, createSite, freshPostgresDatabase, postgresAvailable, signUp, startTestEesee, type TestEesee } from './support/test-eesee.js';
import { deleteKeysWithPrefix, redisAvailable, testRedisPrefix, TEST_REDIS_URL } from './support/test-redis.js';

const ready = (await redisAvailable()) && (await postgresAvailable());
const prefix = testRedisPrefix('instances');

describe.skipIf(!ready)('two instances sharing Redis', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eesee-instances-'));
  let clickhouse: ClickHouseHttpOnChdb;
  let database: { url: string; drop: () => Promise<void> };
  let a: TestEesee;
  let b: TestEesee;
  let siteId: number;

  beforeAll(async () => {
    clickhouse = await startClickHouseHttpOnChdb(path.join(dir, 'clickhouse'));
    database = await freshPostgresDatabase();
    // 1 event/s with bursts of 4 per address, counted across both instances
    const env = { DATABASE_URL: database.url, CLICKHOUSE_URL: clickhouse.url, REDIS_URL: TEST_REDIS_URL, TRACK_RATE_LIMIT: '1' };
    a = await startTestEesee({ env, redisPrefix: prefix });
    b = await startTestEesee({ env, redisPrefix: prefix });
    siteId = (await createSite(a, await signUp(a), { domain: 'lb.example' })).id;
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await clickhouse?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
    const redis = await openRedis(TEST_REDIS_URL);
    await deleteKeysWithPrefix(redis, prefix);
    await closeRedis(redis);
  });

  const track = (instance: TestEesee, ip: string, pathname: string, extra: Record<string, unknown> = {}) =>
    instance.app.inject({
      method: 'POST',
      url: '/api/track',
      remoteAddress: ip,
      headers: { 'content-type': 'text/plain', 'user-agent': CHROME_UA },
      payload: JSON.stringify({ site_id: siteId, url: `https://lb.example${pathname}`, ...extra }),
    });

  it("puts a visitor's events in one session whichever instance receives them", async () => {
    const ip = '81.2.69.160';
    expect((await track(a, ip, '/1', { referrer: 'https://duckduckgo.com/' })).statusCode).toBe(202);
    expect((await track(b, ip, '/2')).statusCode).toBe(202);
    expect((await track(a, ip, '/3')).statusCode).toBe(202);
    expect((await track(b, ip, '/4', { type: 'event', name: 'Signup' })).statusCode).toBe(202);
    await Promise.all([a.writers.events.flush(), b.writers.events.flush()]);
    const rows = await a.events.query<{ pathname: string; session_id: string; visitor_id: string; source: string }>(
      'SELECT pathname, session_id, visitor_id, source FROM events WHERE site_id = {id:UInt32} ORDER BY pathname',
      { id: siteId },
    );
    expect(rows.map((r) => r.pathname)).toEqual(['/1', '/2', '/3', '/4']);
    expect(new Set(rows.map((r) => r.visitor_id)).size).toBe(1);
    expect(new Set(rows.map((r) => r.session_id)).size).toBe(1);
    expect(rows.every((r) => r.source === 'DuckDuckGo')).toBe(true); // the entry written by a, stamped by b too
  });

  it('counts an address against one rate limit on both instances', async () => {
    const ip = '203.0.113.77';
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await track(i % 2 === 0 ? a : b, ip, '/flood')).statusCode);
    // a burst of 4 in all (a token may refill while the requests run), then 429 from either instance
    expect(statuses.slice(0, 4)).toEqual([202, 202, 202, 202]);
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(5);
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });

  it("streams an event accepted by one instance to the other's live listeners", async () => {
    const got: LiveEvent[] = [];
    const off = b.bus.subscribe(siteId, (e) => got.push(e));
    await (b.bus as RedisLiveBus).settled();
    expect((await track(a, '81.2.69.161', '/live')).statusCode).toBe(202);
    await vi.waitFor(() => expect(got.map((e) => e.pathname)).toEqual(['/live']));
    off();
  });
});
