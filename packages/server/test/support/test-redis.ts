// The Redis server used by tests, and key prefixes that keep test files (which run in parallel) apart.
import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { closeRedis, openRedis, type Redis } from '../../src/stores/redis.js';

/** On CI it must be reachable; elsewhere the tests that need it are skipped when it is not. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisAvailable(): Promise<boolean> {
  try {
    await closeRedis(await openRedis(TEST_REDIS_URL, { connectTimeoutMs: 2000 }));
    return true;
  } catch (err) {
    if (process.env.CI) throw new Error(`CI needs Redis at ${TEST_REDIS_URL}: ${(err as Error).message}`);
    return false;
  }
}

/** A prefix no other test file or run uses; no glob characters, so it can be matched by SCAN. */
export function testRedisPrefix(label: string): string {
  return `eesee-test:${label}:${process.pid}-${randomBytes(4).toString('hex')}:`;
}

export async function keysWithPrefix(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Deletes this test's keys, and only those. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysWithPrefix(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.unlink(...keys.slice(i, i + 500));
}

/** A TCP relay to the test Redis whose `cut()` drops every connection and refuses new ones: an outage on demand. */
export async function startRedisRelay(): Promise<{ url: string; cut(): Promise<void> }> {
  const target = new URL(TEST_REDIS_URL);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(TEST_REDIS_URL);
  url.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: url.toString(),
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
