// Opens the metadata store: PGlite in DATA_DIR by default, a PostgreSQL server when DATABASE_URL is set; migrates it.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

export type MetaDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface MetaStore {
  readonly kind: 'pglite' | 'postgres';
  readonly db: MetaDb;
  close(): Promise<void>;
}

/** Migrations live beside src/ and dist/ (both three levels below the package root). */
const migrationsFolder = fileURLToPath(new URL('../../../migrations/meta', import.meta.url));

export async function openMetaStore(opts: { databaseUrl?: string; dataDir: string; onIdleError?: (err: Error) => void }): Promise<MetaStore> {
  if (opts.databaseUrl) {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle connection the server drops (restart, failover, admin) must not crash the process: the pool replaces it.
    pool.on('error', (err) => opts.onIdleError?.(err));
    const db = drizzle(pool, { schema });
    await migrate(db, { migrationsFolder });
    return { kind: 'postgres', db: db as unknown as MetaDb, close: () => pool.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const dir = path.join(opts.dataDir, 'meta');
  mkdirSync(dir, { recursive: true });
  // Metadata is small; PostgreSQL's default 128 MB of shared buffers would be resident memory for nothing.
  const client = await PGlite.create(dir, { postgresqlconf: 'shared_buffers = 32MB' });
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return { kind: 'pglite', db: db as unknown as MetaDb, close: () => client.close() };
}
