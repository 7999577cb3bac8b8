// npm run bench:query — times the dashboard's standard Stats queries on 10M events in the embedded store (chDB); prints figures.
//
// BENCH_EVENTS (default 10,000,000) events for one site over the 90 days ending today, generated inside ClickHouse
// (bench/query-data.ts). BENCH_DATA_DIR keeps the store between runs: when it already holds that many events they are
// reused and the queries run "as of" the loaded data. BENCH_TZ is the site's time zone (default Europe/Berlin),
// BENCH_RUNS the timed runs per query (default 7, after one warm-up). The visit index is brought up to date before the
// queries (built whole on fresh data, as the server's first index run does); BENCH_VISIT_INDEX=0 leaves it out.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runStatsQuery } from '../packages/server/src/analytics/index.js';
import { refreshVisitIndex } from '../packages/server/src/analytics/visit-index.js';
import { openChdbStore } from '../packages/server/src/stores/events/chdb-store.js';
import type { EventStore } from '../packages/server/src/stores/events/event-store.js';
import { migrateEvents } from '../packages/server/src/stores/events/migrations.js';
import { POPULAR_PATH, loadEvents } from './query-data.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TIMEZONE = process.env.BENCH_TZ ?? 'Europe/Berlin';
const DAYS = 90;
const SITE_ID = 1;
const TARGET_MS = 300;
const POPULAR_SOURCE = 'Google';
/** BENCH_VISIT_INDEX=0 groups visits from the events instead of reading the visit index (to compare the two). */
const USE_VISIT_INDEX = process.env.BENCH_VISIT_INDEX !== '0';

type Request = Record<string, unknown>;

function procStatus(field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Resets the peak RSS (VmHWM) so the query phase is measured apart from loading; false where the kernel refuses. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** A one-line status on a terminal, rewritten in place; nothing when the output is piped. */
function progress(text: string): void {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[K${text ? `  ${text}` : ''}`);
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const count = (n: number): string => n.toLocaleString('en-US');

async function one<T>(store: EventStore, sql: string, params?: Record<string, string | number>): Promise<T> {
  return (await store.query<T>(sql, params))[0]!;
}

async function diskUsage(store: EventStore): Promise<{ bytes: number; parts: number }> {
  const r = await one<{ bytes: string; parts: string }>(
    store,
    `SELECT toString(sum(bytes_on_disk)) AS bytes, toString(count()) AS parts FROM system.parts
     WHERE database = currentDatabase() AND table = 'events' AND active`,
  );
  return { bytes: Number(r.bytes), parts: Number(r.parts) };
}

/** YYYY-MM-DD of `at` in `timeZone`. */
function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The dashboard's standard set for one date range and one filter list. */
function standardSet(dateRange: unknown, filters: unknown[] | undefined): [name: string, request: Request][] {
  const base = { site_id: SITE_ID, date_range: dateRange, ...(filters ? { filters } : {}) };
  return [
    ['overview + compare', { ...base, metrics: ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'], compare: 'previous_period' }],
    ['time series (day)', { ...base, metrics: ['visitors', 'pageviews'], dimensions: ['time:day'] }],
    ['top pages', { ...base, dimensions: ['page'], metrics: ['visitors', 'pageviews'], limit: 10 }],
    ['top sources', { ...base, dimensions: ['source'], metrics: ['visitors'], limit: 10 }],
    ['top countries', { ...base, dimensions: ['country'], metrics: ['visitors'], limit: 10 }],
    ['devices', { ...base, dimensions: ['device'], metrics: ['visitors'], limit: 10 }],
  ];
}

interface Timing {
  range: string;
  query: string;
  filter: string;
  median: number;
  p90: number;
  rows: number | string;
}

async function main(): Promise<void> {
  const tempDir = process.env.BENCH_DATA_DIR ? undefined : mkdtempSync(path.join(os.tmpdir(), 'eesee-bench-query-'));
  const dataDir = process.env.BENCH_DATA_DIR ?? tempDir!;
  const store = openChdbStore(dataDir);
  await migrateEvents(store);

  console.log(`\nbench:query — ${count(EVENTS)} events, one site, ${DAYS} days, embedded store (chDB) at ${dataDir}`);
  const site = { id: SITE_ID, timezone: TIMEZONE };
  const existing = Number((await one<{ c: string }>(store, 'SELECT toString(count()) AS c FROM events WHERE site_id = {site:UInt32}', { site: SITE_ID })).c);
  let now: Date;
  if (existing === EVENTS) {
    // Reused data: "now" is when it was loaded (an hour after its last event), so ranges cover the same days.
    const last = await one<{ ms: string }>(store, 'SELECT toString(toUnixTimestamp64Milli(max(ts))) AS ms FROM events WHERE site_id = {site:UInt32}', { site: SITE_ID });
    now = new Date(Number(last.ms) + 3_600_000);
    console.log(`  reusing ${count(existing)} loaded events (queries run as of ${now.toISOString()})`);
  } else {
    if (existing > 0) for (const table of ['events', 'visits', 'visits_progress']) await store.command(`TRUNCATE TABLE ${table}`);
    now = new Date();
    const t0 = performance.now();
    await loadEvents(store, {
      siteId: SITE_ID,
      events: EVENTS,
      days: DAYS,
      now,
      onProgress: (n) => progress(`loading… ${count(n)} events, ${((performance.now() - t0) / 1000).toFixed(1)} s`),
    });
    const loadMs = performance.now() - t0;
    const before = await diskUsage(store);
    const t1 = performance.now();
    // Compact to the steady state a live store reaches through background merges (a few parts per month).
    await store.command('OPTIMIZE TABLE events FINAL');
    const mergeMs = performance.now() - t1;
    progress('');
    console.log(`  load (INSERT … SELECT)  ${(loadMs / 1000).toFixed(1)} s, ${count(Math.round(EVENTS / (loadMs / 1000)))} events/s, ${before.parts} parts`);
    console.log(`  merge (OPTIMIZE FINAL)  ${(mergeMs / 1000).toFixed(1)} s; load + merge ${((loadMs + mergeMs) / 1000).toFixed(1)} s`);
    console.log(`  peak RSS while loading  ${procStatus('VmHWM').toFixed(0)} MiB`);
  }

  // The visit index, as the server's job keeps it (a first run indexes every visit; later runs only what is new).
  if (USE_VISIT_INDEX) {
    const t2 = performance.now();
    await refreshVisitIndex(store, { visibilityMarginMs: 0 });
    const indexMs = performance.now() - t2;
    const t3 = performance.now();
    await store.command('OPTIMIZE TABLE visits FINAL');
    const visits = await one<{ rows: string; bytes: string }>(
      store,
      `SELECT toString(sum(rows)) AS rows, toString(sum(bytes_on_disk)) AS bytes FROM system.parts WHERE database = currentDatabase() AND table = 'visits' AND active`,
    );
    console.log(
      `  visit index             ${(indexMs / 1000).toFixed(1)} s to build or bring up to date, ${((performance.now() - t3) / 1000).toFixed(1)} s to merge; ${count(Number(visits.rows))} rows, ${mib(Number(visits.bytes))}`,
    );
  } else {
    console.log('  visit index             not used (BENCH_VISIT_INDEX=0): visits grouped from the events');
  }

  const shape = await one<Record<string, string>>(
    store,
    `SELECT toString(count()) AS events, toString(uniqExact(visitor_id)) AS visitors, toString(uniqExact(session_id)) AS visits,
       toString(uniqExact(pathname)) AS paths, toString(uniqExact(source)) AS sources, toString(uniqExact(country)) AS countries,
       toString(toDate(min(ts), {tz:String})) AS first_day,
       toString(round(100 * countIf(pathname = {path:String} AND type = 'pageview') / countIf(type = 'pageview'), 1)) AS path_share,
       toString(round(100 * uniqExactIf(session_id, source = {source:String}) / uniqExact(session_id), 1)) AS source_share
     FROM events WHERE site_id = {site:UInt32}`,
    { site: SITE_ID, tz: TIMEZONE, path: POPULAR_PATH, source: POPULAR_SOURCE },
  );
  const types = await store.query<{ type: string; pct: number }>(
    `SELECT type, round(100 * count() / sum(count()) OVER (), 1) AS pct FROM events WHERE site_id = {site:UInt32} GROUP BY type ORDER BY pct DESC`,
    { site: SITE_ID },
  );
  const disk = await diskUsage(store);
  console.log(`  rows                    ${count(Number(shape.events))} (${types.map((t) => `${t.type} ${t.pct}%`).join(', ')})`);
  console.log(`  visitors / visits       ${count(Number(shape.visitors))} / ${count(Number(shape.visits))}`);
  console.log(`  distinct                ${shape.paths} paths, ${shape.sources} sources, ${shape.countries} countries`);
  console.log(`  filter values           page ${POPULAR_PATH} (${shape.path_share}% of pageviews), source ${POPULAR_SOURCE} (${shape.source_share}% of visits)`);
  console.log(`  on disk                 ${mib(disk.bytes)} in ${disk.parts} parts (${(disk.bytes / Number(shape.events)).toFixed(1)} bytes/event)`);

  const lastDay = localDate(now, TIMEZONE);
  const ranges: [label: string, range: unknown][] = [
    ['30d', '30d'],
    [`${DAYS}d`, [shape.first_day!, lastDay]],
  ];
  const filters: [label: string, filters: unknown[] | undefined][] = [
    ['-', undefined],
    [`page ${POPULAR_PATH}`, [['is', 'page', [POPULAR_PATH]]]],
    [`source ${POPULAR_SOURCE}`, [['is', 'source', [POPULAR_SOURCE]]]],
  ];

  const rssBefore = procStatus('VmRSS');
  const peakReset = resetPeakRss();
  const timings: Timing[] = [];
  let failures = 0;
  for (const [rangeLabel, range] of ranges) {
    for (const [filterLabel, filterList] of filters) {
      for (const [name, request] of standardSet(range, filterList)) {
        const row: Timing = { range: rangeLabel, query: name, filter: filterLabel, median: NaN, p90: NaN, rows: 0 };
        try {
          const warm = await runStatsQuery(store, site, request, { now, visitIndex: USE_VISIT_INDEX ? undefined : false });
          row.rows = warm.results.length;
          const ms: number[] = [];
          for (let i = 0; i < RUNS; i++) {
            const t = performance.now();
            await runStatsQuery(store, site, request, { now, visitIndex: USE_VISIT_INDEX ? undefined : false });
            ms.push(performance.now() - t);
          }
          ms.sort((a, b) => a - b);
          row.median = percentile(ms, 50);
          row.p90 = percentile(ms, 90);
        } catch (e) {
          failures++;
          row.rows = `error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 100)}`;
        }
        timings.push(row);
        progress(`timing… ${timings.length} queries`);
      }
    }
  }
  progress('');

  console.log(`\n  ${RUNS} runs per query after one warm-up, site time zone ${TIMEZONE}, ranges: 30d and ${shape.first_day} … ${lastDay}`);
  const header = ['range', 'query', 'filter', 'median ms', 'p90 ms', 'rows', ''];
  const lines = timings.map((t) => [
    t.range,
    t.query,
    t.filter,
    Number.isNaN(t.median) ? '-' : t.median.toFixed(0),
    Number.isNaN(t.p90) ? '-' : t.p90.toFixed(0),
    String(t.rows),
    t.median > TARGET_MS ? `SLOW (> ${TARGET_MS} ms)` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (i === 5 && l[5]!.startsWith('error') ? 0 : l[i]!.length))));
  const fmt = (cells: string[]) => `  ${cells.map((c, i) => (i >= 3 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));

  const measured = timings.filter((t) => !Number.isNaN(t.median));
  const slow = measured.filter((t) => t.median > TARGET_MS);
  console.log(`\n  over ${TARGET_MS} ms (median)     ${slow.length} of ${measured.length}${failures ? `; ${failures} failed` : ''}`);
  console.log(`  peak RSS ${peakReset ? 'while querying' : '(whole run)   '}  ${procStatus('VmHWM').toFixed(0)} MiB (process, chDB in-process); RSS ${rssBefore.toFixed(0)} MiB before the queries, ${procStatus('VmRSS').toFixed(0)} MiB after`);
  console.log(`  store on disk           ${mib(disk.bytes)}`);

  await store.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  if (failures > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
