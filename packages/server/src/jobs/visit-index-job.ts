// Keeps the visit index (analytics/visit-index.ts) in step with the events: a run every few seconds, one at a time
// in this process and, on PostgreSQL, one at a time across instances (a transaction-scoped advisory lock).
import { sql } from 'drizzle-orm';
import { refreshVisitIndex } from '../analytics/visit-index.js';
import type { EventStore } from '../stores/events/event-store.js';
import type { MetaStore } from '../stores/meta/meta-store.js';

export const VISIT_INDEX_INTERVAL_MS = 15_000;
/** An arbitrary, fixed advisory-lock key for the visit index. */
export const VISIT_INDEX_LOCK_KEY = 0x7e5e_0001;

export interface VisitIndexJob {
  /** Runs once now (after a run in progress, if any); resolves when done. */
  runNow(): Promise<void>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export function startVisitIndexJob(
  meta: MetaStore,
  events: EventStore,
  onError: (err: unknown) => void,
  opts: { intervalMs?: number; visibilityMarginMs?: number } = {},
): VisitIndexJob {
  let running: Promise<void> | undefined;
  const refresh = () => refreshVisitIndex(events, { visibilityMarginMs: opts.visibilityMarginMs });
  const once = async (): Promise<void> => {
    // PGlite is this process's own database: the in-process guard is enough (and a long transaction would hold it).
    if (meta.kind === 'pglite') return void (await refresh());
    await meta.db.transaction(async (tx) => {
      // Another instance running the index skips this run: the next one starts after it.
      const res = (await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${VISIT_INDEX_LOCK_KEY}) AS ok`)) as unknown as { rows: { ok: boolean }[] };
      if (res.rows[0]?.ok) await refresh();
    });
  };
  const runNow = async (): Promise<void> => {
    while (running) await running.catch(() => {});
    running = once().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void runNow().catch(onError), opts.intervalMs ?? VISIT_INDEX_INTERVAL_MS);
  timer.unref();
  return {
    runNow,
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
