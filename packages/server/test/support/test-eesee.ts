// Starts a real Eesee (Fastify app + real stores) in a temp DATA_DIR for integration tests, on the back ends asked for.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildEesee, type Eesee } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { startClickHouseHttpOnChdb } from './clickhouse-http-on-chdb.js';

export type MetaBackend = 'pglite' | 'postgres';
export type EventsBackend = 'chdb' | 'clickhouse-http';

/** The PostgreSQL server used by tests; on CI it must be reachable, elsewhere its tests are skipped when it is not. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (err) {
    if (process.env.CI) throw new Error(`CI needs PostgreSQL at ${TEST_POSTGRES_URL}: ${(err as Error).message}`);
    return false;
  }
}

/** A fresh database on the test server, dropped again by the returned function. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `eesee_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestEesee extends Eesee {
  dataDir: string;
  /** Closes the app, drops what the test created, removes the temp folder. */
  stop(): Promise<void>;
}

export async function startTestEesee(
  opts: {
    meta?: MetaBackend;
    events?: EventsBackend;
    env?: Record<string, string>;
    dataDir?: string;
    keepDataDir?: boolean;
    /** Start of the Redis keys and channels of this instance (with REDIS_URL in env); tests use their own. */
    redisPrefix?: string;
  } = {},
): Promise<TestEesee> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'eesee-test-'));
  const cleanups: (() => Promise<void>)[] = [];
  const env: Record<string, string> = { DATA_DIR: dataDir, PORT: '0', AUTH_SECRET: 'x'.repeat(40), ...opts.env };
  if (opts.meta === 'postgres') {
    const db = await freshPostgresDatabase();
    env.DATABASE_URL = db.url;
    cleanups.push(db.drop);
  }
  if (opts.events === 'clickhouse-http') {
    const ch = await startClickHouseHttpOnChdb(path.join(dataDir, 'clickhouse-server'));
    env.CLICKHOUSE_URL = ch.url;
    cleanups.push(ch.close);
  }
  const eesee = await buildEesee(loadConfig(env), { redisPrefix: opts.redisPrefix });
  return Object.assign(eesee, {
    dataDir,
    stop: async () => {
      await eesee.close();
      for (const c of cleanups.reverse()) await c();
      if (!opts.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** Signs up through Better Auth's route and returns the session cookie. */
export async function signUp(eesee: Eesee, email = `owner-${Math.random().toString(36).slice(2)}@example.com`, password = 'correct horse battery'): Promise<string> {
  // Each account signs up from its own address, as people do; Better Auth rate-limits sign-ups per address.
  const res = await eesee.app.inject({
    method: 'POST',
    url: '/api/auth/sign-up/email',
    remoteAddress: `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
    payload: { email, password, name: email.split('@')[0] },
  });
  if (res.statusCode !== 200) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
  const cookies = res.headers['set-cookie'];
  const list = Array.isArray(cookies) ? cookies : [cookies ?? ''];
  return list.map((c) => c.split(';')[0]).join('; ');
}

export async function createSite(eesee: Eesee, cookie: string, body: Record<string, unknown> = {}): Promise<{ id: number } & Record<string, unknown>> {
  const res = await eesee.app.inject({
    method: 'POST',
    url: '/api/sites',
    headers: { cookie, origin: SAME_ORIGIN },
    payload: { name: 'Example', domain: 'example.com', timezone: 'Europe/Berlin', ...body },
  });
  if (res.statusCode !== 201) throw new Error(`site creation failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** The origin Fastify's inject() requests come from (its default Host is localhost:80). */
export const SAME_ORIGIN = 'http://localhost:80';

export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
