// Opens the Redis connection used for state shared between server instances (REDIS_URL): rate limits, active visits, live bus.
import { Redis } from 'ioredis';

export type { Redis };

/** Every key and channel Eesee writes starts with this, so one Redis may serve other applications too. */
export const DEFAULT_REDIS_PREFIX = 'eesee:';

export interface OpenRedisOptions {
  /** Called for connection errors after start-up (ioredis reconnects on its own). */
  onError?: (err: Error) => void;
  connectTimeoutMs?: number;
}

/**
 * Connects before returning, so a wrong REDIS_URL stops start-up with one line. Commands issued while
 * the connection is down wait for a short reconnect and then fail rather than hang the hot path.
 */
export async function openRedis(url: string, opts: OpenRedisOptions = {}): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: opts.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: 2,
    connectionName: 'eesee',
    enableAutoPipelining: true,
  });
  let firstError: Error | undefined;
  let connected = false;
  redis.on('error', (err: Error) => {
    if (connected) opts.onError?.(err);
    else firstError ??= err;
  });
  try {
    await redis.connect();
    connected = true;
  } catch (err) {
    redis.disconnect();
    const reason = (firstError ?? (err as Error)).message;
    throw new Error(`REDIS_URL: cannot connect to ${redacted(url)}: ${reason}`);
  }
  return redis;
}

/** The URL without its password, for messages. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured server';
  }
}

/**
 * A Lua script run with EVALSHA (ioredis loads it on NOSCRIPT): one atomic round trip per call.
 * Returns a typed function bound to `redis`; `keys` come first, then `args`.
 */
export function defineScript<R>(redis: Redis, name: string, numberOfKeys: number, lua: string): (...keysThenArgs: (string | number)[]) => Promise<R> {
  redis.defineCommand(name, { numberOfKeys, lua });
  const command = (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<R>>)[name];
  if (typeof command !== 'function') throw new Error(`ioredis did not define the script ${name}`);
  return command.bind(redis);
}

/** Closes a connection politely (QUIT), or drops it when the server is gone; resolves once it is closed. */
export async function closeRedis(redis: Redis): Promise<void> {
  const status = redis.status;
  if (status === 'end') return;
  if (status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
  // Between two reconnection attempts there is no socket: disconnect() only cancelled the next attempt.
  if (status === 'reconnecting' || redis.status === 'end') return;
  await new Promise<void>((resolve) => {
    // A server that does not answer must not hold up shutdown.
    const timer = setTimeout(() => {
      redis.disconnect();
      resolve();
    }, 2000);
    redis.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
