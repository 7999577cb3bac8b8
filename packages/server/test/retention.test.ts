// Data retention: a site's events older than its retentionDays go (events and bot events), at once when the setting
// changes and on every run of the job; other sites keep theirs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention } from '../src/jobs/retention.js';
import { expectProjectionInStep } from './support/events-projection.js';
import { createSite, SAME_ORIGIN, signUp, startTestEesee, type TestEesee } from './support/test-eesee.js';

let eesee: TestEesee;
let cookie: string;
const DAY = 86_400_000;
const AGES = [100, 40, 10];

async function addEvents(table: 'events' | 'bot_events', siteId: number): Promise<void> {
  const lines = AGES.map((age, i) =>
    JSON.stringify(
      table === 'events'
        ? { site_id: siteId, ts: new Date(Date.now() - age * DAY).toISOString().replace('T', ' ').replace('Z', ''), type: 'pageview', visitor_id: String(i + 1), session_id: String(i + 1) }
        : { site_id: siteId, ts: new Date(Date.now() - age * DAY).toISOString().replace('T', ' ').replace('Z', ''), reason: 'test' },
    ),
  );
  await eesee.events.insertJsonEachRow(table, lines.join('\n') + '\n');
}

async function ages(table: 'events' | 'bot_events', siteId: number): Promise<number[]> {
  const rows = await eesee.events.query<{ age: string }>(`SELECT round((now64(3) - ts) / 86400) AS age FROM ${table} WHERE site_id = {s:UInt32} ORDER BY ts`, { s: siteId });
  return rows.map((r) => Number(r.age));
}

const patch = (siteId: number, settings: unknown) => eesee.app.inject({ method: 'PATCH', url: `/api/sites/${siteId}`, headers: { cookie, origin: SAME_ORIGIN }, payload: { settings } as object });

beforeAll(async () => {
  eesee = await startTestEesee();
  cookie = await signUp(eesee);
});
afterAll(async () => {
  await eesee.stop();
});

describe('data retention', () => {
  it('deletes what is older than the retention as soon as it is set, and only for that site', async () => {
    const a = (await createSite(eesee, cookie, { domain: 'a.test' })).id;
    const b = (await createSite(eesee, cookie, { domain: 'b.test' })).id;
    for (const site of [a, b]) {
      await addEvents('events', site);
      await addEvents('bot_events', site);
    }
    expect((await patch(a, { retentionDays: 30 })).statusCode).toBe(200);
    expect(await ages('events', a)).toEqual([10]);
    expect(await ages('bot_events', a)).toEqual([10]);
    expect(await ages('events', b)).toEqual([100, 40, 10]);
    await expectProjectionInStep(eesee.events);

    // The job applies every site's setting.
    expect((await patch(b, { retentionDays: 50 })).statusCode).toBe(200);
    await addEvents('events', a);
    const ran = await applyRetention(eesee.meta.db, eesee.events, eesee.visitIndexLock);
    expect(ran.sort()).toEqual([a, b].sort());
    expect(await ages('events', a)).toEqual([10, 10]);
    expect(await ages('events', b)).toEqual([40, 10]);

    // Turned off: nothing more is deleted.
    expect((await patch(b, { retentionDays: null })).statusCode).toBe(200);
    await addEvents('events', b);
    await applyRetention(eesee.meta.db, eesee.events, eesee.visitIndexLock);
    expect(await ages('events', b)).toEqual([100, 40, 40, 10, 10]);
    await expectProjectionInStep(eesee.events);
  });

  it('refuses a retention that is not a whole number of days', async () => {
    const c = (await createSite(eesee, cookie, { domain: 'c.test' })).id;
    for (const bad of [0, -5, 1.5, '30', 100_000]) expect((await patch(c, { retentionDays: bad })).statusCode, String(bad)).toBe(400);
  });
});
