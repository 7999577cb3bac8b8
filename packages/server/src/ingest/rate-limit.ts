// Token buckets per key (client IP, API key): `ratePerSec` sustained, bursts up to `burst`; in this process or in Redis.
import { DEFAULT_REDIS_PREFIX, defineScript, type Redis } from '../stores/redis.js';

export interface RateLimiter {
  /** Takes one token; false when the key is over its limit. */
  take(key: string, now: number): boolean | Promise<boolean>;
}

/** Buckets in this process: the default, and enough for a single server instance. */
export class TokenBucketLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number = ratePerSec * 4,
    private readonly maxKeys = 100_000,
  ) {}

  take(key: string, now = Date.now()): boolean {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.evictFull(now);
      b = { tokens: this.burst, at: now };
      this.buckets.set(key, b);
    } else if (now > b.at) {
      // A clock that steps back neither refills nor drains a bucket.
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerSec);
      b.at = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Buckets that refilled completely carry no information; drop them to bound memory. */
  private evictFull(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.ratePerSec >= this.burst) this.buckets.delete(k);
    }
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}

// The same arithmetic as TokenBucketLimiter.take, atomically on a hash {t: tokens, at: ms}.
// Numbers are written with 17 significant digits so that no precision is lost between calls.
// KEYS[1] bucket; ARGV: now (ms), rate per second, burst, time to live (ms).
const TAKE_LUA = `
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
elseif now > at then
  tokens = math.min(burst, tokens + (now - at) / 1000 * rate)
  at = now
end
local ok = 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
end
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'at', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return ok
`;

/**
 * Buckets in Redis, shared by every server instance using it: one atomic script per call. A bucket
 * expires once it would have refilled completely (plus a second), because a full bucket is the same
 * as no bucket. When Redis cannot be reached the limiter lets events through (and reports the error):
 * it protects the server, it must not drop traffic.
 */
export class RedisTokenBucketLimiter implements RateLimiter {
  private readonly script: (...keysThenArgs: (string | number)[]) => Promise<number>;
  private readonly ttlMs: number;
  private readonly prefix: string;

  constructor(
    redis: Redis,
    private readonly ratePerSec: number,
    private readonly burst: number = ratePerSec * 4,
    private readonly opts: { prefix?: string; onError?: (err: Error) => void } = {},
  ) {
    this.script = defineScript<number>(redis, 'eeseeTakeToken', 1, TAKE_LUA);
    this.ttlMs = Math.ceil((burst / ratePerSec) * 1000) + 1000;
    this.prefix = `${opts.prefix ?? DEFAULT_REDIS_PREFIX}rl:`;
  }

  async take(key: string, now = Date.now()): Promise<boolean> {
    try {
      return (await this.script(this.prefix + key, now, this.ratePerSec, this.burst, this.ttlMs)) === 1;
    } catch (err) {
      this.opts.onError?.(err as Error);
      return true;
    }
  }
}
