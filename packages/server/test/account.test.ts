// The account: change password and e-mail, logins listed without their tokens and revoked one by one, password reset
// by e-mail, account deletion that takes the organisations it alone owns, and the lock after many failed sign-ins.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage } from './mail/eml.js';
import { createSite, SAME_ORIGIN, signUp, startTestEesee, type TestEesee } from './support/test-eesee.js';

let eesee: TestEesee;
let ip = 1;

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, opts: { cookie?: string; payload?: unknown; origin?: string | null } = {}) {
  const res = await eesee.app.inject({
    method,
    url,
    remoteAddress: `192.0.2.${ip++ % 250}`,
    headers: { ...(opts.origin !== null && { origin: opts.origin ?? SAME_ORIGIN }), ...(opts.cookie && { cookie: opts.cookie }) },
    ...(opts.payload !== undefined && { payload: opts.payload as object }),
  });
  const cookies = [res.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]).join('; ');
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, cookies, headers: res.headers, raw: res.body };
}

function lastMailTo(to: string) {
  const dir = path.join(eesee.dataDir, 'outbox');
  const mails = readdirSync(dir)
    .sort()
    .map((f) => parseMessage(readFileSync(path.join(dir, f), 'utf8')))
    .filter((m) => m.header('to')?.includes(to));
  if (mails.length === 0) throw new Error(`no mail to ${to}`);
  return mails.at(-1)!;
}

const signIn = (email: string, password: string) => call('POST', '/api/auth/sign-in/email', { payload: { email, password } });
const sessionOf = async (cookie: string) => (await call('GET', '/api/auth/get-session', { cookie })).body;

beforeAll(async () => {
  eesee = await startTestEesee();
});
afterAll(async () => {
  await eesee.stop();
});

describe('account', () => {
  it('changes the password (needs the current one and our origin) and the e-mail address', async () => {
    const cookie = await signUp(eesee, 'ada@account.test', 'first password');
    expect((await call('POST', '/api/auth/change-password', { cookie, payload: { currentPassword: 'wrong one', newPassword: 'second password' } })).status).toBe(400);
    expect((await call('POST', '/api/auth/change-password', { cookie, origin: 'https://evil.test', payload: { currentPassword: 'first password', newPassword: 'x'.repeat(10) } })).status).toBe(403);
    expect((await call('POST', '/api/auth/change-password', { cookie, payload: { currentPassword: 'first password', newPassword: 'second password' } })).status).toBe(200);
    expect((await signIn('ada@account.test', 'first password')).status).toBe(401);
    expect((await signIn('ada@account.test', 'second password')).status).toBe(200);

    // The new address counts once its owner confirms it through the mailed link.
    expect((await call('POST', '/api/auth/change-email', { cookie, payload: { newEmail: 'ada@new.test', callbackURL: '/account' } })).status).toBe(200);
    expect((await sessionOf(cookie)).user.email).toBe('ada@account.test');
    const confirm = lastMailTo('ada@new.test');
    expect(confirm.header('subject')).toBe('Confirm your e-mail address for Eesee Metrics');
    const link = new URL(/https?:\/\/\S+/.exec(confirm.text!)![0]);
    expect((await call('GET', link.pathname + link.search, { cookie, origin: null })).status).toBe(302);
    expect((await sessionOf(cookie)).user.email).toBe('ada@new.test');
    expect((await signIn('ada@new.test', 'second password')).status).toBe(200);
  });

  it('lists logins without their tokens and revokes one', async () => {
    const first = await signUp(eesee, 'bob@account.test', 'bob password');
    const signedIn = await signIn('bob@account.test', 'bob password');
    const second = signedIn.cookies;
    // The session token stays in its HttpOnly cookie: no answer hands it to page scripts.
    const secret = decodeURIComponent(second.split('=')[1]!).split('.')[0]!;
    expect(signedIn.raw).not.toContain(secret);
    const session = await call('GET', '/api/auth/get-session', { cookie: second });
    expect(session.body.user.email).toBe('bob@account.test');
    expect(session.raw).not.toContain(secret);
    expect(session.body.session.token).toBeUndefined();
    // Unknown auth routes and Better Auth's own errors answer with {"error"} like the rest of the API.
    expect((await call('GET', '/api/auth/no-such-thing')).body).toEqual({ error: expect.any(String) });
    expect((await signIn('bob@account.test', 'wrong password')).body.error).toEqual(expect.any(String));
    const list = await call('GET', '/api/account/sessions', { cookie: first });
    expect(list.body.sessions).toHaveLength(2);
    expect(list.body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    for (const c of [first, second]) expect(list.raw).not.toContain(decodeURIComponent(c.split('=')[1]!).split('.')[0]);
    expect(Object.keys(list.body.sessions[0]).sort()).toEqual(['created_at', 'current', 'expires_at', 'id', 'ip_address', 'last_active_at', 'user_agent']);
    expect((await call('GET', '/api/auth/list-sessions', { cookie: first })).status).toBe(404);

    const other = list.body.sessions.find((s: { current: boolean }) => !s.current);
    expect((await call('DELETE', `/api/account/sessions/${other.id}`, { cookie: first })).status).toBe(204);
    expect(await sessionOf(second)).toBeNull();
    expect(await sessionOf(first)).not.toBeNull();
    // Someone else's login id is not found.
    const mallory = await signUp(eesee, 'mallory@account.test');
    const current = list.body.sessions.find((s: { current: boolean }) => s.current);
    expect((await call('DELETE', `/api/account/sessions/${current.id}`, { cookie: mallory })).status).toBe(404);
    expect(await sessionOf(first)).not.toBeNull();
  });

  it('resets a forgotten password through the e-mailed link, once, ending other logins', async () => {
    const old = await signUp(eesee, 'cy@account.test', 'forgotten password');
    expect((await call('POST', '/api/auth/request-password-reset', { payload: { email: 'cy@account.test', redirectTo: '/reset-password' } })).status).toBe(200);
    // Unknown addresses get the same answer (no account probing), and no mail.
    expect((await call('POST', '/api/auth/request-password-reset', { payload: { email: 'nobody@account.test', redirectTo: '/reset-password' } })).status).toBe(200);

    const dir = path.join(eesee.dataDir, 'outbox');
    const mails = readdirSync(dir).map((f) => parseMessage(readFileSync(path.join(dir, f), 'utf8')));
    expect(mails.filter((m) => m.header('to')?.includes('nobody@account.test'))).toHaveLength(0);
    const mail = mails.find((m) => m.header('to')?.includes('cy@account.test'))!;
    expect(mail.header('subject')).toBe('Reset your Eesee Metrics password');
    const link = new URL(/https?:\/\/\S+/.exec(mail.text!)![0]);
    const opened = await call('GET', link.pathname + link.search, { origin: null });
    expect(opened.status).toBe(302);
    const target = new URL(String(opened.headers.location), 'http://localhost');
    expect(target.pathname).toBe('/reset-password');
    const token = target.searchParams.get('token')!;

    expect((await call('POST', '/api/auth/reset-password', { payload: { newPassword: 'remembered password', token } })).status).toBe(200);
    expect((await call('POST', '/api/auth/reset-password', { payload: { newPassword: 'another password', token } })).status).toBe(400);
    expect((await signIn('cy@account.test', 'remembered password')).status).toBe(200);
    expect(await sessionOf(old)).toBeNull();
  });

  it('deletes the account with the organisations it alone owns, their sites and events, and leaves shared ones', async () => {
    const dee = await signUp(eesee, 'dee@account.test', 'dee password');
    const partner = await signUp(eesee, 'partner@account.test');
    const own = await createSite(eesee, dee, { name: 'Mine', domain: 'mine.test' });
    const shared = (await call('POST', '/api/orgs', { cookie: dee, payload: { name: 'Shared' } })).body;
    const inv = (await call('POST', `/api/orgs/${shared.id}/invitations`, { cookie: dee, payload: { email: 'partner@account.test', role: 'owner' } })).body;
    await call('POST', `/api/invitations/${inv.id}/accept`, { cookie: partner });
    const sharedSite = (await call('POST', '/api/sites', { cookie: dee, payload: { organization_id: shared.id, name: 'Ours', domain: 'ours.test' } })).body;
    for (const site of [own.id, sharedSite.id]) {
      await eesee.app.inject({ method: 'POST', url: '/api/track', headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' }, payload: { site_id: site, url: `https://${site === own.id ? 'mine' : 'ours'}.test/` } });
    }
    await eesee.writers.events.flush();

    const account = await call('GET', '/api/account', { cookie: dee });
    expect(account.body.deletes_organizations.map((o: { name: string }) => o.name)).toEqual(["dee's sites"]);
    expect((await call('POST', '/api/auth/delete-user', { cookie: dee, payload: { password: 'wrong password' } })).status).toBe(400);
    expect((await call('POST', '/api/auth/delete-user', { cookie: dee, payload: { password: 'dee password' } })).status).toBe(200);

    expect(await sessionOf(dee)).toBeNull();
    expect((await signIn('dee@account.test', 'dee password')).status).toBe(401);
    const count = async (site: number) => Number((await eesee.events.query<{ n: string }>('SELECT count() AS n FROM events WHERE site_id = {s:UInt32}', { s: site }))[0]!.n);
    expect(await count(own.id)).toBe(0);
    expect(await count(sharedSite.id)).toBe(1);
    expect((await call('GET', `/api/sites/${sharedSite.id}`, { cookie: partner })).status).toBe(200);
    expect((await call('GET', `/api/orgs/${shared.id}/members`, { cookie: partner })).body.members.map((m: { email: string }) => m.email)).toEqual(['partner@account.test']);
  });

  it('locks password sign-in of an account after 10 failures, from any address', async () => {
    await signUp(eesee, 'eve@account.test', 'eve password');
    for (let i = 0; i < 10; i++) expect((await signIn('eve@account.test', `guess ${i}`)).status).toBe(401);
    const locked = await signIn('eve@account.test', 'eve password');
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatch(/too many failed sign-ins/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
    // Other accounts are not affected.
    expect((await signIn('bob@account.test', 'bob password')).status).toBe(200);
  });
});
