// Keeps the visit index (analytics/visit-index.ts) in step with the events: a run every few seconds, as the visit
// index's only writer (jobs/visit-index-lock.ts); a run is skipped while another instance writes it.
import { refreshVisitIndex } from '../analytics/visit-index.js';
import type { EventStore } from '../stores/events/event-store.js';
import type { VisitIndexLock } from './visit-index-lock.js';

export const VISIT_INDEX_INTERVAL_MS = 15_000;

export interface VisitIndexJob {
  /** Runs once now (after a run in progress, if any); resolves when done. */
  runNow(): Promise<void>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export function startVisitIndexJob(
  lock: VisitIndexLock,
  events: EventStore,
  onError: (err: unknown) => void,
  opts: { intervalMs?: number; visibilityMarginMs?: number } = {},
): VisitIndexJob {
  let last: Promise<unknown> = Promise.resolve();
  const runNow = async (): Promise<void> => {
    const run = lock.tryRun(() => refreshVisitIndex(events, { visibilityMarginMs: opts.visibilityMarginMs }));
    last = run.catch(() => {});
    await run;
  };
  const timer = setInterval(() => void runNow().catch(onError), opts.intervalMs ?? VISIT_INDEX_INTERVAL_MS);
  timer.unref();
  return {
    runNow,
    stop: async () => {
      clearInterval(timer);
      await last;
    },
  };
}
