// The same product on the server back ends: PostgreSQL for metadata and a ClickHouse HTTP endpoint for events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_UA, createSite, postgresAvailable, signUp, startTestEesee, type EventsBackend, type MetaBackend, type TestEesee } from './support/test-eesee.js';

const hasPostgres = await postgresAvailable();

// chDB binds one data directory per process, so the two combinations that need chDB in this process run in sequence.
const combos: [MetaBackend, EventsBackend][] = [
  ['postgres', 'clickhouse-http'],
  ['postgres', 'chdb'],
  ['pglite', 'clickhouse-http'],
];

describe.each(combos)('metadata on %s, events on %s', (meta, events) => {
  let eesee: TestEesee;
  const skip = meta === 'postgres' && !hasPostgres;

  beforeAll(async () => {
    if (!skip) eesee = await startTestEesee({ meta, events });
  });
  afterAll(() => eesee?.stop());

  it.skipIf(skip)('signs up, creates a site and ingests a two-page visit as one session', async () => {
    expect(eesee.meta.kind).toBe(meta === 'postgres' ? 'postgres' : 'pglite');
    expect(eesee.events.kind).toBe(events === 'chdb' ? 'chdb' : 'clickhouse');
    const cookie = await signUp(eesee);
    const site = await createSite(eesee, cookie, { domain: 'matrix.example' });
    const send = (path: string) =>
      eesee.app.inject({
        method: 'POST',
        url: '/api/track',
        remoteAddress: '81.2.69.160',
        headers: { 'content-type': 'text/plain', 'user-agent': CHROME_UA },
        payload: JSON.stringify({ site_id: site.id, url: `https://matrix.example${path}`, referrer: 'https://duckduckgo.com/' }),
      });
    expect((await send('/one')).statusCode).toBe(202);
    await eesee.sessions.flush(); // the write-behind to the metadata store works on this back end
    expect((await send('/two')).statusCode).toBe(202);
    await eesee.writers.events.flush();
    const rows = await eesee.events.query<{ pathname: string; session_id: string; source: string; country: string }>(
      'SELECT pathname, session_id, source, country FROM events WHERE site_id = {id:UInt32} ORDER BY ts',
      { id: site.id },
    );
    expect(rows.map((r) => r.pathname)).toEqual(['/one', '/two']);
    expect(rows[0]!.session_id).toBe(rows[1]!.session_id);
    expect(rows.every((r) => r.source === 'DuckDuckGo' && r.country === 'GB')).toBe(true);
  });
});
