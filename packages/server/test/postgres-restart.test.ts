// PostgreSQL dropping the server's connections (a restart, a failover, an admin) must not crash the process:
// the pool logs the error, replaces the connections, and the next request works.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgresAvailable, signUp, startTestEesee, TEST_POSTGRES_URL, type TestEesee } from './support/test-eesee.js';

const hasPostgres = await postgresAvailable();
let eesee: TestEesee | undefined;

beforeAll(async () => {
  if (hasPostgres) eesee = await startTestEesee({ meta: 'postgres' });
});
afterAll(() => eesee?.stop());

it.skipIf(!hasPostgres)('survives PostgreSQL terminating its idle connections', async () => {
  const cookie = await signUp(eesee!);
  const database = new URL(eesee!.config.DATABASE_URL!).pathname.slice(1);
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  await admin.end();
  expect(rows.length).toBeGreaterThan(0);
  // Give the terminated connections' errors time to arrive (an unhandled one would fail this file).
  await new Promise((r) => setTimeout(r, 300));
  const res = await eesee!.app.inject({ url: '/api/sites', headers: { cookie } });
  expect(res.statusCode).toBe(200);
});
