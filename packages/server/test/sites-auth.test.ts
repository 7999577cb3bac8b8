// Accounts and sites: sign-up and sign-in, the instance owner, DISABLE_SIGNUP, and that only an owner's account sees its sites.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceOwnerId } from '../src/auth/auth.js';
import { eq } from 'drizzle-orm';
import { PURGE_GRACE_MS, Sites } from '../src/sites/sites.js';
import type { EventStore } from '../src/stores/events/event-store.js';
import { sitePurge } from '../src/stores/meta/schema.js';
import { expectProjectionInStep } from './support/events-projection.js';
import { createSite, SAME_ORIGIN, signUp, startTestEesee, type TestEesee } from './support/test-eesee.js';

let eesee: TestEesee;
beforeAll(async () => {
  eesee = await startTestEesee();
});
afterAll(() => eesee?.stop());

describe('accounts', () => {
  it('makes the first account the owner of the instance, and signs in with the password', async () => {
    // Before the first account the health check says so, and the dashboard opens on sign-up.
    expect((await eesee.app.inject({ url: '/api/health' })).json().has_accounts).toBe(false);
    await signUp(eesee, 'first@example.com', 'first password 1');
    expect((await eesee.app.inject({ url: '/api/health' })).json().has_accounts).toBe(true);
    const firstId = await instanceOwnerId(eesee.meta.db);
    await signUp(eesee, 'second@example.com', 'second password 2');
    expect(await instanceOwnerId(eesee.meta.db)).toBe(firstId);

    const ok = await eesee.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: 'first@example.com', password: 'first password 1' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.id).toBe(firstId);
    const wrong = await eesee.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: 'first@example.com', password: 'nope nope nope' } });
    expect(wrong.statusCode).toBe(401);
  });

  it('refuses cross-site sign-up requests (origin check)', async () => {
    const res = await eesee.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      headers: { origin: 'https://evil.example' },
      payload: { email: 'csrf@example.com', password: 'long enough pw', name: 'x' },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('sites', () => {
  it('creates, lists, reads, changes and deletes a site, with its events', async () => {
    const cookie = await signUp(eesee);
    const created = await createSite(eesee, cookie, { name: 'Blog', domain: 'https://Blog.Example.org/path', timezone: 'Asia/Kolkata' });
    expect(created).toMatchObject({ name: 'Blog', domain: 'blog.example.org', timezone: 'Asia/Kolkata' });
    expect(created.settings).toMatchObject({ trailingSlashMerge: true, sessionTimeoutMinutes: 30, botFiltering: true });

    const list = await eesee.app.inject({ method: 'GET', url: '/api/sites', headers: { cookie, origin: SAME_ORIGIN } });
    expect(list.json().sites.map((s: { id: number }) => s.id)).toEqual([created.id]);

    const patched = await eesee.app.inject({ method: 'PATCH', url: `/api/sites/${created.id}`, headers: { cookie, origin: SAME_ORIGIN }, payload: { name: 'Blog 2', settings: { sessionTimeoutMinutes: 45 } } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Blog 2', settings: { sessionTimeoutMinutes: 45, trailingSlashMerge: true } });

    const tracked = await eesee.app.inject({
      method: 'POST',
      url: '/api/track',
      headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' },
      payload: JSON.stringify({ site_id: created.id, url: 'https://blog.example.org/' }),
    });
    expect(tracked.statusCode).toBe(202);
    await eesee.writers.events.flush();
    const count = async () => Number((await eesee.events.query<{ c: string }>('SELECT count() AS c FROM events WHERE site_id = {id:UInt32}', { id: created.id }))[0]!.c);
    expect(await count()).toBe(1);

    const del = await eesee.app.inject({ method: 'DELETE', url: `/api/sites/${created.id}`, headers: { cookie, origin: SAME_ORIGIN } });
    expect(del.statusCode).toBe(204);
    expect(await count()).toBe(0);
    await expectProjectionInStep(eesee.events);
    // The purge stays recorded a while, for events accepted just before the deletion and written after the purge: the
    // hourly job sweeps them, then clears the record.
    expect(await eesee.meta.db.select({ siteId: sitePurge.siteId }).from(sitePurge).where(eq(sitePurge.siteId, created.id))).toEqual([{ siteId: created.id }]);
    await eesee.events.insertJsonEachRow('events', JSON.stringify({ site_id: created.id, ts: Date.now(), type: 'pageview', visitor_id: '7', session_id: '7' }));
    expect(await count()).toBe(1);
    await eesee.sites.purgePending(Date.now() + PURGE_GRACE_MS + 1000);
    expect(await count()).toBe(0);
    expect(await eesee.meta.db.select().from(sitePurge).where(eq(sitePurge.siteId, created.id))).toEqual([]);
    expect((await eesee.app.inject({ method: 'GET', url: `/api/sites/${created.id}`, headers: { cookie, origin: SAME_ORIGIN } })).statusCode).toBe(404);
  });

  it("removes a deleted site's data later when the events store failed at the time, and only that site's", async () => {
    const cookie = await signUp(eesee);
    const kept = await createSite(eesee, cookie, { domain: 'kept.example' });
    const gone = await createSite(eesee, cookie, { domain: 'gone.example' });
    const rows = [kept.id, gone.id].flatMap((siteId) =>
      [0, 1, 2].map((i) => JSON.stringify({ site_id: siteId, ts: Date.UTC(2026, 10, 20, 12, i), type: 'pageview', visitor_id: String(i + 1), session_id: String(i + 1) })),
    );
    await eesee.events.insertJsonEachRow('events', rows.join('\n'));
    await eesee.events.insertJsonEachRow('bot_events', JSON.stringify({ site_id: gone.id, ts: Date.UTC(2026, 10, 20), reason: 'test' }));
    const stored = async (table: string, siteId: number) =>
      Number((await eesee.events.query<{ c: string }>(`SELECT toString(count()) AS c FROM ${table} WHERE site_id = {id:UInt32}`, { id: siteId }))[0]!.c);

    // The site is deleted, and then the events store refuses every statement.
    const down: EventStore = {
      kind: eesee.events.kind,
      query: (sql, params) => eesee.events.query(sql, params),
      command: () => Promise.reject(new Error('events store down')),
      insertJsonEachRow: (table, rows, token) => eesee.events.insertJsonEachRow(table, rows, token),
      close: async () => {},
    };
    const failing = new Sites(eesee.meta.db, down, eesee.visitIndexLock);
    await failing.delete(gone.id);
    await expect(failing.purgeEvents([gone.id], Date.now() + PURGE_GRACE_MS + 1000)).rejects.toThrow(/down/);
    expect((await eesee.app.inject({ method: 'GET', url: `/api/sites/${gone.id}`, headers: { cookie, origin: SAME_ORIGIN } })).statusCode).toBe(404);
    expect(await stored('events', gone.id)).toBe(3);
    const pending = () => eesee.meta.db.select({ siteId: sitePurge.siteId }).from(sitePurge).where(eq(sitePurge.siteId, gone.id));
    expect(await pending()).toEqual([{ siteId: gone.id }]);

    // The hourly job finds it and finishes the work.
    expect(await eesee.sites.purgePending(Date.now() + PURGE_GRACE_MS + 1000)).toContain(gone.id);
    expect([await stored('events', gone.id), await stored('bot_events', gone.id), await stored('events', kept.id)]).toEqual([0, 0, 3]);
    expect(await pending()).toEqual([]);
    await expectProjectionInStep(eesee.events);
  });

  it('gives clear 400s for bad site input', async () => {
    const cookie = await signUp(eesee);
    const bad = async (payload: unknown) => eesee.app.inject({ method: 'POST', url: '/api/sites', headers: { cookie, origin: SAME_ORIGIN }, payload: payload as object });
    expect((await bad({ name: 'x', domain: 'not a domain!', timezone: 'UTC' })).json().error).toMatch(/domain/);
    expect((await bad({ name: 'x', domain: 'a.com', timezone: 'Mars/Olympus' })).json().error).toMatch(/timezone/);
    expect((await bad({ domain: 'a.com' })).json().error).toMatch(/name/);
    expect((await bad({ name: 'x', domain: 'a.com', settings: { excludedPaths: 'nope' } })).statusCode).toBe(400);
    expect((await bad({ name: 'a\u0000b', domain: 'a.com' })).json().error).toMatch(/NUL/);
    expect((await bad({ name: 'x', domain: 'a.com', settings: { retentionDayz: 30 } })).json().error).toMatch(/retentionDayz/);
    const idn = await bad({ name: 'Books', domain: 'https://Bücher.example/shop' });
    expect(idn.statusCode).toBe(201);
    expect(idn.json().domain).toBe('xn--bcher-kva.example');
    expect((await eesee.app.inject({ method: 'GET', url: '/api/sites/abc', headers: { cookie, origin: SAME_ORIGIN } })).statusCode).toBe(400);
  });

  it("never shows, changes or deletes another account's site", async () => {
    const alice = await signUp(eesee);
    const mallory = await signUp(eesee);
    const site = await createSite(eesee, alice);
    const as = (cookie: string, method: 'GET' | 'PATCH' | 'DELETE') =>
      eesee.app.inject({ method, url: `/api/sites/${site.id}`, headers: { cookie, origin: SAME_ORIGIN }, ...(method === 'PATCH' ? { payload: { name: 'pwned' } } : {}) });
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) expect((await as(mallory, method)).statusCode).toBe(404);
    expect((await eesee.app.inject({ method: 'GET', url: '/api/sites', headers: { cookie: mallory } })).json().sites).toEqual([]);
    expect((await as(alice, 'GET')).json().name).toBe('Example');
  });

  it('refuses cookie-authenticated changes from another origin (CSRF)', async () => {
    const cookie = await signUp(eesee);
    const site = await createSite(eesee, cookie);
    for (const origin of ['https://evil.example', undefined]) {
      const res = await eesee.app.inject({ method: 'DELETE', url: `/api/sites/${site.id}`, headers: { cookie, ...(origin && { origin }) } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toMatch(/cross-origin/);
    }
    expect((await eesee.app.inject({ method: 'GET', url: `/api/sites/${site.id}`, headers: { cookie } })).statusCode).toBe(200);
  });

  it('answers 401 without a session', async () => {
    for (const [method, url] of [['GET', '/api/sites'], ['POST', '/api/sites'], ['GET', '/api/sites/1'], ['PATCH', '/api/sites/1'], ['DELETE', '/api/sites/1']] as const) {
      const res = await eesee.app.inject({ method, url, payload: method === 'POST' || method === 'PATCH' ? {} : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json().error).toMatch(/sign in/);
    }
  });
});
