// Live bus in process and through Redis: per-site delivery, unsubscribe; through Redis, across instances.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeRedis, openRedis, type Redis } from '../stores/redis.js';
import { redisAvailable, testRedisPrefix, TEST_REDIS_URL } from '../../test/support/test-redis.js';
import { MemoryLiveBus, RedisLiveBus, type LiveBus, type LiveEvent } from './live-bus.js';

const hasRedis = await redisAvailable();
const redisPrefix = testRedisPrefix('live-bus');
/** Two connections, as two server instances would have. */
let redis: Redis;
let redis2: Redis;
let prefixes = 0;
const buses: LiveBus[] = [];

beforeAll(async () => {
  if (hasRedis) [redis, redis2] = await Promise.all([openRedis(TEST_REDIS_URL), openRedis(TEST_REDIS_URL)]);
});
afterEach(async () => {
  for (const bus of buses.splice(0)) await bus.close();
});
afterAll(async () => {
  await Promise.all([redis, redis2].filter(Boolean).map(closeRedis));
});

/** Channels of their own per test (pub/sub writes no keys, so there is nothing to delete). */
function freshRedisPrefix(): string {
  return `${redisPrefix}${++prefixes}:`;
}

function redisBus(connection: Redis, prefix: string, onError?: (err: Error) => void): RedisLiveBus {
  const bus = new RedisLiveBus(connection, { prefix, onError });
  buses.push(bus);
  return bus;
}

function event(siteId: number, name: string): LiveEvent {
  return {
    site_id: siteId,
    ts: '2026-03-10T10:00:00.000Z',
    type: 'event',
    name,
    pathname: '/',
    hostname: 'example.com',
    visitor_id: '1',
    session_id: '2',
    country: 'DE',
    source: 'Google',
    device: 'desktop',
  };
}

/** A bus under test, and a wait for its subscriptions to be in effect (Redis acknowledges them asynchronously). */
interface Subject {
  bus: LiveBus;
  settled(): Promise<void>;
}

const implementations: { name: string; needsRedis: boolean; make: () => Subject }[] = [
  {
    name: 'MemoryLiveBus',
    needsRedis: false,
    make: () => ({ bus: new MemoryLiveBus(), settled: async () => {} }),
  },
  {
    name: 'RedisLiveBus',
    needsRedis: true,
    make: () => {
      const bus = redisBus(redis, freshRedisPrefix());
      return { bus, settled: () => bus.settled() };
    },
  },
];

const names = (events: LiveEvent[]) => events.map((e) => e.name);

for (const { name, needsRedis, make } of implementations) {
  describe.skipIf(needsRedis && !hasRedis)(name, () => {
    it("delivers a site's events, whole, to that site's listeners only", async () => {
      const { bus, settled } = make();
      const one: LiveEvent[] = [];
      const two: LiveEvent[] = [];
      bus.subscribe(1, (e) => one.push(e));
      bus.subscribe(2, (e) => two.push(e));
      await settled();
      bus.publish(event(1, 'a'));
      bus.publish(event(3, 'nobody listens'));
      bus.publish(event(2, 'b'));
      bus.publish(event(1, 'c'));
      await vi.waitFor(() => expect(names(one)).toEqual(['a', 'c']));
      await vi.waitFor(() => expect(names(two)).toEqual(['b']));
      expect(one[0]).toEqual(event(1, 'a'));
    });

    it('stops delivering to a listener that unsubscribed, and keeps the others', async () => {
      const { bus, settled } = make();
      const first: LiveEvent[] = [];
      const second: LiveEvent[] = [];
      const offFirst = bus.subscribe(1, (e) => first.push(e));
      bus.subscribe(1, (e) => second.push(e));
      await settled();
      bus.publish(event(1, 'a'));
      await vi.waitFor(() => expect(names(first)).toEqual(['a']));
      offFirst();
      offFirst(); // twice is harmless
      await settled();
      bus.publish(event(1, 'b'));
      await vi.waitFor(() => expect(names(second)).toEqual(['a', 'b']));
      expect(names(first)).toEqual(['a']);
    });

    it('a site whose last listener left can be listened to again', async () => {
      const { bus, settled } = make();
      const got: LiveEvent[] = [];
      bus.subscribe(5, (e) => got.push(e))();
      await settled();
      bus.publish(event(5, 'unheard'));
      await settled();
      bus.subscribe(5, (e) => got.push(e));
      await settled();
      bus.publish(event(5, 'heard'));
      await vi.waitFor(() => expect(names(got)).toEqual(['heard']));
    });
  });
}

describe.skipIf(!hasRedis)('RedisLiveBus across instances', () => {
  it('an event published by one instance reaches the listeners of every instance', async () => {
    const prefix = freshRedisPrefix();
    const a = redisBus(redis, prefix);
    const b = redisBus(redis2, prefix);
    const onA: LiveEvent[] = [];
    const onB: LiveEvent[] = [];
    a.subscribe(7, (e) => onA.push(e));
    b.subscribe(7, (e) => onB.push(e));
    await Promise.all([a.settled(), b.settled()]);
    a.publish(event(7, 'from a'));
    b.publish(event(7, 'from b'));
    await vi.waitFor(() => expect(names(onB).sort()).toEqual(['from a', 'from b']));
    await vi.waitFor(() => expect(names(onA).sort()).toEqual(['from a', 'from b']));
  });

  it("subscribes a site's channel once, and unsubscribes when its last local listener leaves", async () => {
    const prefix = freshRedisPrefix();
    const bus = redisBus(redis, prefix);
    const channel = `${prefix}live:9`;
    const subscribers = async () => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
    const off1 = bus.subscribe(9, () => {});
    const off2 = bus.subscribe(9, () => {});
    await bus.settled();
    expect(await subscribers()).toBe(1);
    off1();
    await bus.settled();
    expect(await subscribers()).toBe(1);
    off2();
    await bus.settled();
    expect(await subscribers()).toBe(0);
  });

  it('a listener that throws does not keep the event from the others; the error is reported', async () => {
    const onError = vi.fn();
    const bus = redisBus(redis, freshRedisPrefix(), onError);
    const got: LiveEvent[] = [];
    bus.subscribe(1, () => {
      throw new Error('listener bug');
    });
    bus.subscribe(1, (e) => got.push(e));
    await bus.settled();
    bus.publish(event(1, 'a'));
    await vi.waitFor(() => expect(names(got)).toEqual(['a']));
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener bug' }));
  });

  it('close() ends its own subscriber connection and leaves the shared one open', async () => {
    const bus = new RedisLiveBus(redis, { prefix: freshRedisPrefix() });
    bus.subscribe(1, () => {});
    await bus.settled();
    const subscriber = (bus as unknown as { subscriber: Redis }).subscriber;
    expect(subscriber.status).toBe('ready');
    await bus.close();
    expect(subscriber.status).toBe('end');
    expect(redis.status).toBe('ready');
  });

  it('close() of a bus that never subscribed (its subscriber never connected) returns at once', async () => {
    const bus = new RedisLiveBus(redis, { prefix: freshRedisPrefix() });
    const started = Date.now();
    await bus.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect((bus as unknown as { subscriber: Redis }).subscriber.status).toBe('end');
  });
});
