// A restart does not split visits: active sessions are saved to the metadata store and loaded again.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CHROME_UA, createSite, signUp, startTestEesee, type TestEesee } from './support/test-eesee.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'eesee-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const send = (eesee: TestEesee, siteId: number, pathname: string) =>
  eesee.app.inject({
    method: 'POST',
    url: '/api/track',
    remoteAddress: '49.207.0.1',
    headers: { 'content-type': 'text/plain', 'user-agent': CHROME_UA },
    payload: JSON.stringify({ site_id: siteId, url: `https://restart.example${pathname}` }),
  });

it('continues the same visit after the server restarts', async () => {
  let eesee = await startTestEesee({ dataDir, keepDataDir: true });
  const site = await createSite(eesee, await signUp(eesee), { domain: 'restart.example' });
  expect((await send(eesee, site.id, '/before')).statusCode).toBe(202);
  await eesee.stop();

  eesee = await startTestEesee({ dataDir, keepDataDir: true });
  expect((await send(eesee, site.id, '/after')).statusCode).toBe(202);
  await eesee.writers.events.flush();
  const rows = await eesee.events.query<{ pathname: string; session_id: string; visitor_id: string; country: string }>(
    'SELECT pathname, session_id, visitor_id, country FROM events WHERE site_id = {id:UInt32} ORDER BY ts',
    { id: site.id },
  );
  await eesee.stop();
  expect(rows.map((r) => r.pathname)).toEqual(['/before', '/after']);
  expect(rows[1]!.session_id).toBe(rows[0]!.session_id);
  expect(rows[1]!.visitor_id).toBe(rows[0]!.visitor_id);
  expect(rows[0]!.country).toBe('IN');
});
