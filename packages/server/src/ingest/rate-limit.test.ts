// Token buckets in process and in Redis: the same burst and refill over an injected clock, independent keys;
// in process, bounded memory; in Redis, buckets shared by instances, atomic takes, expiring keys.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeRedis, openRedis, type Redis } from '../stores/redis.js';
import { deleteKeysWithPrefix, keysWithPrefix, redisAvailable, testRedisPrefix, TEST_REDIS_URL } from '../../test/support/test-redis.js';
import { RedisTokenBucketLimiter, TokenBucketLimiter, type RateLimiter } from './rate-limit.js';

const hasRedis = await redisAvailable();
const redisPrefix = testRedisPrefix('rate-limit');
/** Two connections, as two server instances would have. */
let redis: Redis;
let redis2: Redis;
let prefixes = 0;

beforeAll(async () => {
  if (hasRedis) [redis, redis2] = await Promise.all([openRedis(TEST_REDIS_URL), openRedis(TEST_REDIS_URL)]);
});
afterAll(async () => {
  if (redis) await deleteKeysWithPrefix(redis, redisPrefix);
  await Promise.all([redis, redis2].filter(Boolean).map(closeRedis));
});

/** A key prefix of its own per limiter made by a test, so tests stay independent. */
function freshRedisPrefix(): string {
  return `${redisPrefix}${++prefixes}:`;
}

/** Number of buckets held; read through the private field to check the memory bound. */
function heldKeys(limiter: TokenBucketLimiter): number {
  return (limiter as unknown as { buckets: Map<string, unknown> }).buckets.size;
}

async function takeN(limiter: RateLimiter, key: string, n: number, now: number): Promise<boolean[]> {
  const results: boolean[] = [];
  for (let i = 0; i < n; i++) results.push(await limiter.take(key, now));
  return results;
}

const implementations: { name: string; needsRedis: boolean; make: (ratePerSec: number, burst?: number) => RateLimiter }[] = [
  { name: 'TokenBucketLimiter (in process)', needsRedis: false, make: (rate, burst) => new TokenBucketLimiter(rate, burst) },
  { name: 'RedisTokenBucketLimiter', needsRedis: true, make: (rate, burst) => new RedisTokenBucketLimiter(redis, rate, burst, { prefix: freshRedisPrefix() }) },
];

for (const { name, needsRedis, make } of implementations) {
  describe.skipIf(needsRedis && !hasRedis)(name, () => {
    it('allows a full burst at once, then refuses', async () => {
      const l = make(1, 5);
      expect(await takeN(l, 'ip', 5, 0)).toEqual([true, true, true, true, true]);
      expect(await l.take('ip', 0)).toBe(false);
      expect(await l.take('ip', 0)).toBe(false);
    });

    it('defaults the burst to four seconds of the rate', async () => {
      const l = make(10);
      const results = await takeN(l, 'ip', 41, 1_000);
      expect(results.filter(Boolean)).toHaveLength(40);
      expect(results[40]).toBe(false);
    });

    it('refills at ratePerSec, continuously, whatever the refused attempts in between', async () => {
      const l = make(2, 4); // one token every 500 ms
      const t0 = 10_000;
      expect((await takeN(l, 'ip', 4, t0)).every(Boolean)).toBe(true);
      expect(await l.take('ip', t0 + 250)).toBe(false); // 0.5 token accrued
      expect(await l.take('ip', t0 + 499)).toBe(false); // 0.998
      expect(await l.take('ip', t0 + 500)).toBe(true); // 1 token -> used
      expect(await l.take('ip', t0 + 500)).toBe(false);
      // 1.5 s later: 3 tokens
      expect(await takeN(l, 'ip', 4, t0 + 2_000)).toEqual([true, true, true, false]);
    });

    it('never holds more than the burst, however long the key was idle', async () => {
      const l = make(100, 3);
      expect((await takeN(l, 'ip', 3, 0)).every(Boolean)).toBe(true);
      const later = 24 * 3600_000;
      expect(await takeN(l, 'ip', 4, later)).toEqual([true, true, true, false]);
    });

    it('sustains the rate over time', async () => {
      // 4/s probed every 125 ms: 0.5 token per probe, exact in binary floating point
      const l = make(4, 4);
      await takeN(l, 'ip', 4, 0); // spend the initial burst
      let allowed = 0;
      for (let ms = 125; ms <= 10_000; ms += 125) if (await l.take('ip', ms)) allowed++;
      expect(allowed).toBe(40); // 4/s × 10 s

      // an awkward probe interval (0.1 token per probe) gives the same rate, give or take rounding
      const m = make(5, 5);
      await takeN(m, 'ip', 5, 0);
      let allowed2 = 0;
      for (let ms = 20; ms <= 10_000; ms += 20) if (await m.take('ip', ms)) allowed2++;
      expect(allowed2).toBeGreaterThanOrEqual(49);
      expect(allowed2).toBeLessThanOrEqual(50);
    });

    it('supports rates under one per second', async () => {
      const l = make(0.5, 1); // one token every 2 s
      expect(await l.take('k', 0)).toBe(true);
      expect(await l.take('k', 1_999)).toBe(false);
      expect(await l.take('k', 2_000)).toBe(true);
    });

    it('keeps keys apart', async () => {
      const l = make(1, 2);
      expect(await takeN(l, 'a', 3, 0)).toEqual([true, true, false]);
      expect(await takeN(l, 'b', 3, 0)).toEqual([true, true, false]);
      expect(await l.take('c', 0)).toBe(true);
      expect(await l.take('a', 0)).toBe(false);
      expect(await takeN(l, '2001:db8::1', 3, 0)).toEqual([true, true, false]); // IPv6 keys hold colons
    });

    it('a clock that steps back neither refills nor drains a bucket', async () => {
      // several instances' clocks differ by a few milliseconds; a system clock may be corrected backwards
      const l = make(1, 2);
      expect(await l.take('ip', 10_000)).toBe(true); // 1 token left
      expect(await l.take('ip', 5_000)).toBe(true); // still 1 left, not 1 - 5
      expect(await l.take('ip', 9_000)).toBe(false);
      expect(await l.take('ip', 10_999)).toBe(false); // 0.999 token since 10 s
      expect(await l.take('ip', 11_000)).toBe(true);
    });
  });
}

describe('TokenBucketLimiter memory bound', () => {
  it('never holds more than maxKeys buckets, however many keys arrive', () => {
    const l = new TokenBucketLimiter(1, 10, 100);
    for (let i = 0; i < 10_000; i++) {
      l.take(`k${i}`, i); // 1 ms apart: no bucket refills to full in between
      expect(heldKeys(l)).toBeLessThanOrEqual(100);
    }
    // the limiter still works after all that churn
    expect(Array.from({ length: 11 }, () => l.take('fresh', 20_000)).filter(Boolean)).toHaveLength(10);
  });

  it('at the bound, drops only buckets that have refilled completely and keeps the busy ones', () => {
    const l = new TokenBucketLimiter(1, 2, 3);
    expect(l.take('idle', 0)).toBe(true); // 1 token left; full again at t=1 s
    expect(l.take('busy1', 9_000)).toBe(true); // 1 left
    expect(l.take('busy2', 9_000)).toBe(true); // 1 left
    expect(heldKeys(l)).toBe(3);
    expect(l.take('new', 9_500)).toBe(true); // 'idle' is full: evicted, the others stay
    expect(heldKeys(l)).toBe(3);
    // busy1 kept its state: 1 + 0.5 = 1.5 tokens at 9.5 s -> one take, then refused
    expect(l.take('busy1', 9_500)).toBe(true);
    expect(l.take('busy1', 9_500)).toBe(false);
    // idle was forgotten, which costs nothing: it comes back with a full bucket
    expect(Array.from({ length: 3 }, () => l.take('idle', 9_500))).toEqual([true, true, false]);
  });
});

describe.skipIf(!hasRedis)('RedisTokenBucketLimiter shared by instances', () => {
  it('two instances draw from one bucket per key', async () => {
    const prefix = freshRedisPrefix();
    const a = new RedisTokenBucketLimiter(redis, 1, 4, { prefix });
    const b = new RedisTokenBucketLimiter(redis2, 1, 4, { prefix });
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await (i % 2 === 0 ? a : b).take('ip', 1_000));
    expect(results).toEqual([true, true, true, true, false, false]);
    expect(await b.take('ip', 2_000)).toBe(true); // one token refilled, taken by either instance
    expect(await a.take('ip', 2_000)).toBe(false);
  });

  it('takes are atomic: concurrent requests from both instances get exactly the burst', async () => {
    const prefix = freshRedisPrefix();
    const a = new RedisTokenBucketLimiter(redis, 1, 25, { prefix });
    const b = new RedisTokenBucketLimiter(redis2, 1, 25, { prefix });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).take('ip', 5_000)));
    expect(results.filter(Boolean)).toHaveLength(25);
  });

  it('keeps a bucket as a hash under <prefix>rl:<key> that expires once it would be full again', async () => {
    const prefix = freshRedisPrefix();
    const l = new RedisTokenBucketLimiter(redis, 2, 10, { prefix }); // empty to full in 5 s
    await l.take('203.0.113.9', Date.now());
    expect(await keysWithPrefix(redis, prefix)).toEqual([`${prefix}rl:203.0.113.9`]);
    const ttl = await redis.pttl(`${prefix}rl:203.0.113.9`);
    expect(ttl).toBeGreaterThan(5_000);
    expect(ttl).toBeLessThanOrEqual(6_000); // 5 s + 1 s of margin
    expect(Number(await redis.hget(`${prefix}rl:203.0.113.9`, 't'))).toBe(9);
  });

  it('lets events through and reports the error when Redis cannot be reached', async () => {
    const gone = await openRedis(TEST_REDIS_URL);
    gone.disconnect();
    const onError = vi.fn();
    const l = new RedisTokenBucketLimiter(gone, 1, 1, { prefix: freshRedisPrefix(), onError });
    expect(await takeN(l, 'ip', 3, 0)).toEqual([true, true, true]);
    expect(onError).toHaveBeenCalledTimes(3);
    expect(onError.mock.calls[0]![0]).toBeInstanceOf(Error);
  });
});
