// npm run bench:ingest — load-tests POST /api/track on a real server (embedded stores), prints figures, then checks every accepted event is stored.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openChdbStore } from '../packages/server/src/stores/events/chdb-store.js';
import { makeRequest, rng } from './realistic-events.js';

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 20) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const WARMUP_MS = 3000;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'eesee-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['packages/server/dist/cli.js', 'start'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, TRUST_PROXY: 'true', LOG_LEVEL: 'warn', TRACK_RATE_LIMIT: '1000' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      /* starting */
    }
    if (i > 600) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email: 'bench@example.com', password: 'benchmark password', name: 'Bench' }),
  });
  const cookie = signUp.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const site = (await (await fetch(`${base}/api/sites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: base },
    body: JSON.stringify({ name: 'Bench', domain: 'bench.example', timezone: 'Europe/Berlin' }),
  })).json()) as { id: number };

  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const rand = rng(42);
  const latencies = new Float64Array(5_000_000);
  let measured = 0;
  let accepted = 0;
  const statuses = new Map<number, number>();
  let peakRss = 0;
  const t0 = performance.now();
  const measureFrom = t0 + WARMUP_MS;
  const stopAt = measureFrom + DURATION_MS;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(server.pid!))), 250);

  const post = (): Promise<void> =>
    new Promise((resolve) => {
      const r = makeRequest(site.id, 'bench.example', rand);
      const start = performance.now();
      const req = http.request(
        `${base}/api/track`,
        { method: 'POST', agent, headers: { 'content-type': 'text/plain', 'user-agent': r.userAgent, 'x-forwarded-for': r.ip, 'accept-language': 'en-US' } },
        (res) => {
          res.resume();
          res.on('end', () => {
            const end = performance.now();
            statuses.set(res.statusCode!, (statuses.get(res.statusCode!) ?? 0) + 1);
            if (res.statusCode === 202) accepted++;
            if (start >= measureFrom && measured < latencies.length) latencies[measured++] = end - start;
            resolve();
          });
        },
      );
      req.on('error', () => resolve());
      req.end(r.body);
    });

  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < stopAt) await post();
    }),
  );
  clearInterval(rssTimer);
  const seconds = DURATION_MS / 1000;
  const sorted = latencies.slice(0, measured).sort();
  console.log(`\nbench:ingest — ${CONCURRENCY} concurrent connections, ${seconds}s measured after ${WARMUP_MS / 1000}s warm-up, embedded stores`);
  console.log(`  requests measured   ${measured}`);
  console.log(`  throughput          ${(measured / seconds).toFixed(0)} events/s`);
  console.log(`  latency p50 / p99   ${percentile(sorted, 50).toFixed(2)} ms / ${percentile(sorted, 99).toFixed(2)} ms`);
  console.log(`  server peak RSS     ${peakRss.toFixed(0)} MiB`);
  console.log(`  statuses            ${[...statuses].map(([s, n]) => `${s}: ${n}`).join(', ')}`);

  server.kill('SIGTERM'); // flushes the spool
  await new Promise((r) => server.once('exit', r));
  const store = openChdbStore(path.join(dataDir, 'events'));
  const [row] = await store.query<{ c: string }>('SELECT count() AS c FROM events WHERE site_id = {id:UInt32}', { id: site.id });
  await store.close();
  const stored = Number(row!.c);
  console.log(`  accepted (202)      ${accepted}`);
  console.log(`  stored in events    ${stored}  ${stored === accepted ? 'OK: every accepted event is stored' : 'MISMATCH'}`);
  rmSync(dataDir, { recursive: true, force: true });
  agent.destroy();
  if (stored !== accepted) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
