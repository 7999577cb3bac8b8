// REDIS_URL end to end on the embedded stores: /api/track keeps visits, rate limits and the live bus in Redis.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../src/config/config.js';
import { RedisLiveBus, type LiveEvent } from '../src/ingest/live-bus.js';
import { RedisTokenBucketLimiter } from '../src/ingest/rate-limit.js';
import { RedisVisitStore, type VisitEntry } from '../src/ingest/sessions.js';
import { activeSession } from '../src/stores/meta/schema.js';
import { closeRedis, openRedis } from '../src/stores/redis.js';
import { CHROME_UA, createSite, signUp, startTestEesee, type TestEesee } from './support/test-eesee.js';
import { deleteKeysWithPrefix, redisAvailable, startRedisRelay, testRedisPrefix, TEST_REDIS_URL } from './support/test-redis.js';

const hasRedis = await redisAvailable();
const prefix = testRedisPrefix('track');

describe.skipIf(!hasRedis)('with REDIS_URL', () => {
  let eesee: TestEesee;
  let redis: Redis;
  let siteId: number;

  beforeAll(async () => {
    redis = await openRedis(TEST_REDIS_URL);
    // 2 events/s with bursts of 8 per address
    eesee = await startTestEesee({ env: { REDIS_URL: TEST_REDIS_URL, TRACK_RATE_LIMIT: '2' }, redisPrefix: prefix });
    siteId = (await createSite(eesee, await signUp(eesee), { domain: 'redis.example' })).id;
  });
  afterAll(async () => {
    await eesee?.stop();
    if (redis) {
      await deleteKeysWithPrefix(redis, prefix);
      await closeRedis(redis);
    }
  });

  const track = (ip: string, path: string, extra: Record<string, unknown> = {}) =>
    eesee.app.inject({
      method: 'POST',
      url: '/api/track',
      remoteAddress: ip,
      headers: { 'content-type': 'text/plain', 'user-agent': CHROME_UA },
      payload: JSON.stringify({ site_id: siteId, url: `https://redis.example${path}`, ...extra }),
    });

  it('says so in /api/health and uses the Redis variants', async () => {
    const res = await eesee.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json()).toMatchObject({ ok: true, shared_state: 'redis' });
    expect(eesee.sharedState).toBe('redis');
    expect(eesee.sessions).toBeInstanceOf(RedisVisitStore);
    expect(eesee.bus).toBeInstanceOf(RedisLiveBus);
  });

  it('keeps a visit in Redis: its events get one session and the entry source, and PostgreSQL sees no session rows', async () => {
    const ip = '81.2.69.160';
    expect((await track(ip, '/one', { referrer: 'https://duckduckgo.com/' })).statusCode).toBe(202);
    expect((await track(ip, '/two', { referrer: 'https://redis.example/one' })).statusCode).toBe(202);
    expect((await track(ip, '/two', { type: 'event', name: 'Signup' })).statusCode).toBe(202);
    await eesee.writers.events.flush();
    const rows = await eesee.events.query<{ pathname: string; session_id: string; visitor_id: string; source: string }>(
      `SELECT pathname, session_id, toString(visitor_id) AS visitor_id, source FROM events WHERE site_id = {id:UInt32} AND pathname IN ('/one', '/two') ORDER BY ts`,
      { id: siteId },
    );
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.session_id)).size).toBe(1);
    expect(rows.every((r) => r.source === 'DuckDuckGo')).toBe(true);

    const key = `${prefix}visit:${siteId}:${rows[0]!.visitor_id}`;
    expect(await redis.hget(key, 'session')).toBe(rows[0]!.session_id);
    expect(JSON.parse((await redis.hget(key, 'entry'))!)).toMatchObject({ source: 'DuckDuckGo', country: 'GB' });
    await eesee.sessions.flush();
    expect(await eesee.meta.db.select().from(activeSession)).toEqual([]);
  });

  it('publishes accepted events on the live bus through Redis', async () => {
    const got: LiveEvent[] = [];
    const off = eesee.bus.subscribe(siteId, (e) => got.push(e));
    await (eesee.bus as RedisLiveBus).settled();
    expect((await track('81.2.69.161', '/live')).statusCode).toBe(202);
    await vi.waitFor(() => expect(got.map((e) => e.pathname)).toEqual(['/live']));
    expect(got[0]).toMatchObject({ site_id: siteId, type: 'pageview', hostname: 'redis.example', country: 'GB' });
    off();
  });

  it('rate-limits an address with a 429 from a bucket in Redis', async () => {
    const ip = '203.0.113.77';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await track(ip, '/flood')).statusCode);
    // a burst of 8 (give or take a token refilled while the requests ran), then 429
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(8);
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(10);
    expect(statuses.at(-1)).toBe(429);
    expect(await redis.exists(`${prefix}rl:${ip}`)).toBe(1);
  });

  it('close() closes both of its Redis connections', async () => {
    const quit = vi.spyOn(Redis.prototype, 'quit');
    try {
      await eesee.stop();
      expect(quit).toHaveBeenCalledTimes(2); // commands + live-bus subscriber
    } finally {
      quit.mockRestore();
    }
  });
});

describe.skipIf(!hasRedis)('when Redis goes away while running', () => {
  it('the limiter lets events through, resolving a visit fails within seconds, and closing does not hang', async () => {
    const relay = await startRedisRelay();
    const errors: Error[] = [];
    const redis = await openRedis(relay.url, { onError: (err) => errors.push(err) });
    const outagePrefix = testRedisPrefix('outage'); // its one bucket expires 2 s after it was written
    const limiter = new RedisTokenBucketLimiter(redis, 1, 1, { prefix: outagePrefix, onError: (err) => errors.push(err) });
    const visits = new RedisVisitStore(redis, { prefix: outagePrefix });
    const bus = new RedisLiveBus(redis, { prefix: outagePrefix, onError: (err) => errors.push(err) });
    const args = { siteId: 1, visitorId: '1', now: Date.now(), timeoutMs: 1_800_000, entry: () => ({}) as VisitEntry };
    try {
      expect(await limiter.take('ip', Date.now())).toBe(true);
      expect(await limiter.take('ip', Date.now())).toBe(false);
      bus.subscribe(1, () => {});
      await bus.settled();

      await relay.cut();
      expect(await limiter.take('ip', Date.now())).toBe(true);
      const started = Date.now();
      await expect(visits.resolve(args)).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(3_000);
      bus.publish({ site_id: 1 } as LiveEvent); // reported, not thrown
      await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2));
    } finally {
      const closing = Date.now();
      await bus.close();
      await closeRedis(redis);
      expect(Date.now() - closing).toBeLessThan(3_000);
    }
  });
});

it('an unreachable REDIS_URL stops start-up with one line naming it, before any store is opened', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'eesee-redis-down-'));
  try {
    const start = startTestEesee({ dataDir, env: { REDIS_URL: 'redis://:secret@127.0.0.1:1' } });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/^REDIS_URL: cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1:1: connect ECONNREFUSED /);
    expect(readdirSync(dataDir)).toEqual([]);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
