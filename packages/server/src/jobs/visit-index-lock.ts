// The visits table (analytics/visit-index.ts) has one writer at a time: the index job, retention and site deletion all
// reconcile or delete visit states, and two of them working on the same visits at once could each write the same
// cancelling row (a visit counted -1). In this process they queue; on PostgreSQL they also hold a transaction-scoped
// advisory lock, so instances sharing the stores take turns too.
import { sql } from 'drizzle-orm';
import type { MetaStore } from '../stores/meta/meta-store.js';

/** An arbitrary, fixed advisory-lock key for writing the visit index. */
export const VISIT_INDEX_LOCK_KEY = 0x7e5e_0001;

export interface VisitIndexLock {
  /** Runs `fn` as the only writer, after the one in progress here or in another instance. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** As `run`, but when another instance is writing, returns undefined at once without running `fn`. */
  tryRun<T>(fn: () => Promise<T>): Promise<T | undefined>;
}

/** Without a metadata store, or on PGlite (this process's own database), the queue in this process is the lock. */
export function createVisitIndexLock(meta?: MetaStore): VisitIndexLock {
  let tail: Promise<unknown> = Promise.resolve();
  const queued = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(() => fn(), () => fn());
    tail = next.catch(() => {});
    return next;
  };
  const pg = meta?.kind === 'postgres' ? meta : undefined;
  return {
    run: (fn) =>
      queued(async () => {
        if (!pg) return fn();
        return pg.db.transaction(async (tx) => {
          await tx.execute(sql`SELECT pg_advisory_xact_lock(${VISIT_INDEX_LOCK_KEY})`);
          return fn();
        });
      }),
    tryRun: (fn) =>
      queued(async () => {
        if (!pg) return fn();
        return pg.db.transaction(async (tx) => {
          const res = (await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${VISIT_INDEX_LOCK_KEY}) AS ok`)) as unknown as { rows: { ok: boolean }[] };
          return res.rows[0]?.ok ? fn() : undefined;
        });
      }),
  };
}
