// Accepted means kept: events answered with 202 survive a kill -9 of the server process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openChdbStore } from '../src/stores/events/chdb-store.js';
import { CHROME_UA } from './support/test-eesee.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'eesee-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startServer(port: number): Promise<ChildProcess> {
  // vitest puts BASE_URL=/ into the environment; the server would rightly refuse it.
  const { BASE_URL: _viteBaseUrl, ...env } = process.env;
  const child = spawn(process.execPath, [cli, 'start'], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', TRACK_RATE_LIMIT: '100000' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start within 60 s');
}

it('loses no accepted event when the process is killed with SIGKILL', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server = await startServer(port);

  const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email: 'crash@example.com', password: 'long enough password', name: 'Crash' }),
  });
  expect(signUp.status).toBe(200);
  const cookie = signUp.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const site = await fetch(`${base}/api/sites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: base },
    body: JSON.stringify({ name: 'Crash', domain: 'crash.example', timezone: 'UTC' }),
  });
  expect(site.status).toBe(201);
  const { id } = (await site.json()) as { id: number };

  let accepted = 0;
  const send = async (i: number) => {
    const res = await fetch(`${base}/api/track`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': CHROME_UA },
      body: JSON.stringify({ site_id: id, url: `https://crash.example/page/${i}` }),
    });
    if (res.status === 202) accepted++;
  };
  for (let batch = 0; batch < 10; batch++) await Promise.all(Array.from({ length: 50 }, (_, j) => send(batch * 50 + j)));
  server.kill('SIGKILL'); // no flush, no goodbye
  await new Promise((r) => server.once('exit', r));
  expect(accepted).toBe(500);

  server = await startServer(port); // replays the spool before listening
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));

  const store = openChdbStore(path.join(dataDir, 'events'));
  const [row] = await store.query<{ c: string; u: string }>(
    `SELECT count() AS c, uniqExact(pathname) AS u FROM events WHERE site_id = {id:UInt32}`,
    { id },
  );
  await store.close();
  expect(Number(row!.c)).toBe(accepted);
  expect(Number(row!.u)).toBe(accepted);
});
