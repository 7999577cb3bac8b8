// The agency story over HTTP: an owner creates an organisation, invites an admin and a viewer by e-mail (outbox),
// they accept; roles decide what each may do; API keys with scopes, site restriction, expiry, revocation and a
// rate limit work as Bearer tokens; invitations can be declined, revoked and expire; an organisation keeps an owner.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Organizations } from '../src/orgs/organizations.js';
import { PURGE_GRACE_MS } from '../src/sites/sites.js';
import { apiKey, invitation, sitePurge } from '../src/stores/meta/schema.js';
import { parseMessage } from './mail/eml.js';
import { SAME_ORIGIN, signUp, startTestEesee, type TestEesee } from './support/test-eesee.js';

let eesee: TestEesee;
let owner: string;
let admin: string;
let viewer: string;
let outsider: string;
let orgId: string;
const siteIds: number[] = [];

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
async function call(cookie: string | null, method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await eesee.app.inject({
    method,
    url,
    headers: { ...(cookie && { cookie }), origin: SAME_ORIGIN, ...headers },
    ...(payload !== undefined && { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, any>) : undefined };
}
const bearer = (key: string, method: Method, url: string, payload?: unknown) => call(null, method, url, payload, { authorization: `Bearer ${key}` });

/** The invitation links mailed so far to an address, oldest first, read from DATA_DIR/outbox. */
function mailedLinks(to: string): string[] {
  const dir = path.join(eesee.dataDir, 'outbox');
  return readdirSync(dir)
    .sort()
    .map((f) => parseMessage(readFileSync(path.join(dir, f), 'utf8')))
    .filter((m) => m.header('to')?.includes(to))
    .map((m) => /\/invite\/([A-Za-z0-9_-]+)/.exec(m.text ?? '')![1]!);
}

async function invite(email: string, role: string): Promise<string> {
  const res = await call(owner, 'POST', `/api/orgs/${orgId}/invitations`, { email, role });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const links = mailedLinks(email);
  expect(links.at(-1)).toBe(res.body!.id);
  return res.body!.id as string;
}

beforeAll(async () => {
  eesee = await startTestEesee();
  owner = await signUp(eesee, 'owner@agency.test');
  admin = await signUp(eesee, 'admin@agency.test');
  viewer = await signUp(eesee, 'viewer@agency.test');
  outsider = await signUp(eesee, 'mallory@evil.test');
});
afterAll(async () => {
  await eesee.stop();
});

describe('organisations and invitations', () => {
  it('creates an organisation and lists it with the caller’s role', async () => {
    const res = await call(owner, 'POST', '/api/orgs', { name: 'Agency' });
    expect(res.status).toBe(201);
    orgId = res.body!.id;
    const list = await call(owner, 'GET', '/api/orgs');
    expect(list.body!.organizations.map((o: { name: string; role: string }) => [o.name, o.role])).toEqual([
      ["owner's sites", 'owner'],
      ['Agency', 'owner'],
    ]);
    expect((await call(owner, 'POST', '/api/orgs', { name: '  ' })).status).toBe(400);
    expect((await call(owner, 'POST', '/api/orgs', { name: 'x', extra: 1 })).status).toBe(400);
  });

  it('invites by e-mail; the invitees accept and become members with their roles', async () => {
    const adminInvite = await invite('admin@agency.test', 'admin');
    const viewerInvite = await invite('viewer@agency.test', 'viewer');
    const mail = readdirSync(path.join(eesee.dataDir, 'outbox'))
      .map((f) => parseMessage(readFileSync(path.join(eesee.dataDir, 'outbox', f), 'utf8')))
      .find((m) => m.header('to')?.includes('admin@agency.test'))!;
    expect(mail.header('subject')).toBe('You are invited to Agency on Eesee Metrics');
    expect(mail.text).toContain('as admin');

    // Someone else holding the link gets nothing.
    expect((await call(outsider, 'GET', `/api/invitations/${adminInvite}`)).status).toBe(404);
    expect((await call(outsider, 'POST', `/api/invitations/${adminInvite}/accept`)).status).toBe(404);

    const seen = await call(admin, 'GET', `/api/invitations/${adminInvite}`);
    expect(seen.body).toMatchObject({ organization_name: 'Agency', role: 'admin', status: 'pending', inviter_email: 'owner@agency.test' });
    expect((await call(admin, 'POST', `/api/invitations/${adminInvite}/accept`)).body).toMatchObject({ status: 'accepted' });
    expect((await call(admin, 'POST', `/api/invitations/${adminInvite}/accept`)).status).toBe(409);
    expect((await call(viewer, 'POST', `/api/invitations/${viewerInvite}/accept`)).status).toBe(200);

    const members = await call(viewer, 'GET', `/api/orgs/${orgId}/members`);
    expect(members.body!.members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      ['owner@agency.test', 'owner'],
      ['admin@agency.test', 'admin'],
      ['viewer@agency.test', 'viewer'],
    ]);
  });

  it('refuses duplicate, owner-by-admin and malformed invitations, and lets the invitee decline', async () => {
    expect((await call(owner, 'POST', `/api/orgs/${orgId}/invitations`, { email: 'admin@agency.test', role: 'member' })).status).toBe(409);
    expect((await call(admin, 'POST', `/api/orgs/${orgId}/invitations`, { email: 'boss@agency.test', role: 'owner' })).status).toBe(403);
    expect((await call(viewer, 'POST', `/api/orgs/${orgId}/invitations`, { email: 'x@agency.test', role: 'viewer' })).status).toBe(403);
    expect((await call(owner, 'POST', `/api/orgs/${orgId}/invitations`, { email: 'not an address', role: 'member' })).status).toBe(400);
    expect((await call(owner, 'POST', `/api/orgs/${orgId}/invitations`, { email: 'a@b.test', role: 'king' })).status).toBe(400);

    const declined = await invite('mallory@evil.test', 'member');
    expect((await call(outsider, 'POST', `/api/invitations/${declined}/decline`)).body).toMatchObject({ status: 'declined' });
    expect((await call(outsider, 'POST', `/api/invitations/${declined}/accept`)).status).toBe(409);
    expect((await call(outsider, 'GET', `/api/orgs/${orgId}`)).status).toBe(404);
  });

  it('revokes a pending invitation and refuses an expired one', async () => {
    const revoked = await invite('late@agency.test', 'member');
    expect((await call(admin, 'DELETE', `/api/orgs/${orgId}/invitations/${revoked}`)).body).toMatchObject({ status: 'revoked' });
    expect((await call(admin, 'DELETE', `/api/orgs/${orgId}/invitations/${revoked}`)).status).toBe(409);
    const late = await signUp(eesee, 'late@agency.test');
    expect((await call(late, 'POST', `/api/invitations/${revoked}/accept`)).status).toBe(409);

    const expired = await invite('late@agency.test', 'member');
    await eesee.meta.db.update(invitation).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitation.id, expired));
    expect((await call(late, 'GET', `/api/invitations/${expired}`)).body).toMatchObject({ status: 'expired' });
    expect((await call(late, 'POST', `/api/invitations/${expired}/accept`)).status).toBe(410);
    const listed = await call(owner, 'GET', `/api/orgs/${orgId}/invitations`);
    expect(listed.body!.invitations.filter((i: { email: string }) => i.email === 'late@agency.test').map((i: { status: string }) => i.status)).toEqual(['expired', 'revoked']);
  });

  it('lets roles do what the permission table says with sites', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await call(admin, 'POST', '/api/sites', { organization_id: orgId, name: `Client ${i}`, domain: `client${i}.test`, timezone: 'UTC' });
      expect(res.status).toBe(201);
      expect(res.body!.organization_id).toBe(orgId);
      siteIds.push(res.body!.id);
    }
    expect((await call(viewer, 'POST', '/api/sites', { organization_id: orgId, name: 'V', domain: 'v.test' })).status).toBe(403);
    expect((await call(outsider, 'POST', '/api/sites', { organization_id: orgId, name: 'M', domain: 'm.test' })).status).toBe(404);
    const visible = await call(viewer, 'GET', '/api/sites');
    expect(visible.body!.sites.map((s: { id: number }) => s.id)).toEqual(siteIds);
    expect((await call(viewer, 'PATCH', `/api/sites/${siteIds[0]}`, { name: 'renamed' })).status).toBe(403);
    expect((await call(viewer, 'DELETE', `/api/sites/${siteIds[0]}`)).status).toBe(403);
    expect((await call(viewer, 'POST', '/api/v1/query', { site_id: siteIds[0], date_range: '7d', metrics: ['visitors'] })).status).toBe(200);
    expect((await call(outsider, 'POST', '/api/v1/query', { site_id: siteIds[0], date_range: '7d', metrics: ['visitors'] })).status).toBe(404);
  });

  it('changes roles, keeps at least one owner, and lets members leave', async () => {
    const members = (await call(owner, 'GET', `/api/orgs/${orgId}/members`)).body!.members as { id: string; email: string }[];
    const idOf = (email: string) => members.find((m) => m.email === email)!.id;
    expect((await call(admin, 'PATCH', `/api/orgs/${orgId}/members/${idOf('viewer@agency.test')}`, { role: 'member' })).body).toMatchObject({ role: 'member' });
    expect((await call(admin, 'PATCH', `/api/orgs/${orgId}/members/${idOf('owner@agency.test')}`, { role: 'viewer' })).status).toBe(403);
    expect((await call(admin, 'PATCH', `/api/orgs/${orgId}/members/${idOf('viewer@agency.test')}`, { role: 'owner' })).status).toBe(403);
    expect((await call(owner, 'PATCH', `/api/orgs/${orgId}/members/${idOf('owner@agency.test')}`, { role: 'admin' })).status).toBe(409);
    expect((await call(owner, 'DELETE', `/api/orgs/${orgId}/members/${idOf('owner@agency.test')}`)).status).toBe(409);
    expect((await call(viewer, 'PATCH', `/api/orgs/${orgId}/members/${idOf('viewer@agency.test')}`, { role: 'admin' })).status).toBe(403);
    expect((await call(owner, 'PATCH', `/api/orgs/${orgId}/members/${idOf('viewer@agency.test')}`, { role: 'viewer' })).status).toBe(200);
    expect((await call(owner, 'PATCH', `/api/orgs/${orgId}/members/nope`, { role: 'viewer' })).status).toBe(404);

    // Two owners demoting each other at the same moment: one wins, the organisation keeps an owner.
    const duo = (await call(owner, 'POST', '/api/orgs', { name: 'Duo' })).body!.id;
    const inv = (await call(owner, 'POST', `/api/orgs/${duo}/invitations`, { email: 'admin@agency.test', role: 'owner' })).body!.id;
    await call(admin, 'POST', `/api/invitations/${inv}/accept`);
    const duoMembers = (await call(owner, 'GET', `/api/orgs/${duo}/members`)).body!.members as { id: string; email: string }[];
    const duoId = (email: string) => duoMembers.find((m) => m.email === email)!.id;
    const results = await Promise.all([
      call(owner, 'PATCH', `/api/orgs/${duo}/members/${duoId('admin@agency.test')}`, { role: 'viewer' }),
      call(admin, 'PATCH', `/api/orgs/${duo}/members/${duoId('owner@agency.test')}`, { role: 'viewer' }),
    ]);
    // The loser is refused either as no longer an owner (403) or as the last owner's demotion (409).
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.every((r) => [200, 403, 409].includes(r.status))).toBe(true);
    const after = (await call(owner, 'GET', `/api/orgs/${duo}/members`)).body!.members as { role: string }[];
    expect(after.filter((m) => m.role === 'owner')).toHaveLength(1);
  });

  it('renames; only the owner sets limits and deletes', async () => {
    expect((await call(admin, 'PATCH', `/api/orgs/${orgId}`, { name: 'Agency Ltd' })).body).toMatchObject({ name: 'Agency Ltd', role: 'admin' });
    expect((await call(admin, 'PATCH', `/api/orgs/${orgId}`, { monthly_event_limit: 1000 })).status).toBe(403);
    expect((await call(owner, 'PATCH', `/api/orgs/${orgId}`, { monthly_event_limit: 1_000_000 })).body).toMatchObject({ monthly_event_limit: 1_000_000 });
    expect((await call(admin, 'DELETE', `/api/orgs/${orgId}`)).status).toBe(403);
    expect((await call(viewer, 'PATCH', `/api/orgs/${orgId}`, { name: 'x' })).status).toBe(403);
  });
});

describe('API keys', () => {
  let readKey: string;
  let readKeyId: string;

  it('creates a key shown once; lists never show the secret or its hash', async () => {
    const res = await call(owner, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'reporting script', scopes: ['stats:read'] });
    expect(res.status).toBe(201);
    readKey = res.body!.key;
    readKeyId = res.body!.id;
    expect(readKey).toMatch(/^eesee_[A-Za-z0-9_-]{32}$/);
    const list = await call(admin, 'GET', `/api/orgs/${orgId}/api-keys`);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(readKey);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    expect(list.body!.api_keys[0]).toMatchObject({ id: readKeyId, name: 'reporting script', start: readKey.slice(0, 10), scopes: ['stats:read'], last_used_at: null });
    const [row] = await eesee.meta.db.select().from(apiKey).where(eq(apiKey.id, readKeyId));
    expect(row!.keyHash).not.toContain(readKey);
    expect((await call(viewer, 'GET', `/api/orgs/${orgId}/api-keys`)).status).toBe(403);
  });

  it('reads stats with Bearer, but changes nothing and sees nothing of other organisations', async () => {
    const q = await bearer(readKey, 'POST', '/api/v1/query', { site_id: siteIds[1], date_range: '30d', metrics: ['visitors', 'pageviews'] });
    expect(q.status).toBe(200);
    expect(q.body!.results).toEqual([{ dimensions: [], metrics: [0, 0] }]);
    expect((await bearer(readKey, 'GET', '/api/sites')).body!.sites).toHaveLength(5);
    expect((await bearer(readKey, 'PATCH', `/api/sites/${siteIds[1]}`, { name: 'x' })).status).toBe(403);
    expect((await bearer(readKey, 'POST', '/api/sites', { name: 'x', domain: 'x.test' })).status).toBe(403);
    expect((await bearer(readKey, 'GET', `/api/orgs/${orgId}/members`)).status).toBe(403);
    const personal = (await call(owner, 'GET', '/api/orgs')).body!.organizations[0].id;
    const elsewhere = await call(owner, 'POST', '/api/sites', { organization_id: personal, name: 'Mine', domain: 'mine.test' });
    expect((await bearer(readKey, 'GET', `/api/sites/${elsewhere.body!.id}`)).status).toBe(404);
    const after = (await call(owner, 'GET', `/api/orgs/${orgId}/api-keys`)).body!.api_keys[0];
    expect(Date.parse(after.last_used_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('limits a key to its sites and scopes; an admin key manages sites', async () => {
    const limited = (await call(owner, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'one client', scopes: ['stats:read'], site_ids: [siteIds[2]] })).body!.key;
    expect((await bearer(limited, 'GET', '/api/sites')).body!.sites.map((s: { id: number }) => s.id)).toEqual([siteIds[2]]);
    expect((await bearer(limited, 'GET', `/api/sites/${siteIds[3]}/realtime`)).status).toBe(404);
    expect((await bearer(limited, 'GET', `/api/sites/${siteIds[2]}/realtime`)).status).toBe(200);
    const ingest = (await call(owner, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'server events', scopes: ['ingest'] })).body!.key;
    expect((await bearer(ingest, 'POST', '/api/v1/query', { site_id: siteIds[2], date_range: '7d', metrics: ['visitors'] })).status).toBe(404);
    const adminKey = (await call(owner, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'terraform', scopes: ['admin'] })).body!.key;
    expect((await bearer(adminKey, 'PATCH', `/api/sites/${siteIds[4]}`, { name: 'Client 5 (renamed)' })).body).toMatchObject({ name: 'Client 5 (renamed)' });
    expect((await bearer(adminKey, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'more', scopes: ['admin'] })).status).toBe(403);
    // An admin key limited to some sites cannot add more sites to the organisation.
    const limitedAdmin = (await call(owner, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'one client admin', scopes: ['admin'], site_ids: [siteIds[2]] })).body!.key;
    expect((await bearer(limitedAdmin, 'POST', '/api/sites', { name: 'sneaky', domain: 'sneaky.test' })).status).toBe(403);
    expect((await call(owner, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'bad', scopes: ['stats:read'], site_ids: [999999] })).status).toBe(400);
    expect((await call(owner, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'bad', scopes: ['root'] })).status).toBe(400);
    expect((await call(owner, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'bad', scopes: ['stats:read'], expires_at: '2001-01-01T00:00:00Z' })).status).toBe(400);
  });

  it('lets an ingest key send server-side events on behalf of a visitor; without it those fields are ignored', async () => {
    const ingest = (await call(owner, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'backend', scopes: ['ingest'], site_ids: [siteIds[0]] })).body!.key;
    const statsOnly = (await call(owner, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'reader', scopes: ['stats:read'] })).body!.key;
    const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    const event = (site: number, path: string) => ({ site_id: site, type: 'event', name: 'Purchase', url: `https://client${site}.test${path}`, ip: '81.2.69.142', user_agent: IPHONE });
    const send = (payload: unknown, headers: Record<string, string>) =>
      eesee.app.inject({ method: 'POST', url: '/api/track', remoteAddress: '203.0.113.9', headers: { 'content-type': 'application/json', 'user-agent': 'curl/8.5.0 (server)', ...headers }, payload: payload as object });

    expect((await send(event(siteIds[0]!, '/with-key'), { authorization: `Bearer ${ingest}` })).statusCode).toBe(202);
    expect((await send(event(siteIds[1]!, '/other-site'), { authorization: `Bearer ${ingest}` })).statusCode).toBe(403);
    expect((await send(event(siteIds[0]!, '/stats-key'), { authorization: `Bearer ${statsOnly}` })).statusCode).toBe(403);
    expect((await send(event(siteIds[0]!, '/bad-key'), { authorization: 'Bearer eesee_nope' })).statusCode).toBe(401);
    // Without a key the claimed address and browser are ignored: curl's user agent is a bot, filed aside.
    expect((await send(event(siteIds[0]!, '/no-key'), {})).json()).toEqual({ ok: true, ignored: 'bot' });
    expect((await send({ ...event(siteIds[0]!, '/x'), ip: 'not-an-ip' }, { authorization: `Bearer ${ingest}` })).statusCode).toBe(400);

    await eesee.writers.events.flush();
    const rows = await eesee.events.query<Record<string, string>>('SELECT pathname, browser, device, country FROM events WHERE site_id = {s:UInt32}', { s: siteIds[0]! });
    expect(rows).toEqual([{ pathname: '/with-key', browser: 'Safari', device: 'mobile', country: 'GB' }]);
  });

  it('refuses wrong, revoked and expired keys with 401, and rate-limits each key', async () => {
    const q = { site_id: siteIds[1], date_range: '7d', metrics: ['visitors'] };
    expect((await bearer('eesee_' + 'x'.repeat(32), 'POST', '/api/v1/query', q)).status).toBe(401);
    expect((await call(null, 'POST', '/api/v1/query', q, { authorization: 'Basic abc' })).status).toBe(401);
    const short = await call(owner, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'short', scopes: ['stats:read'], expires_at: new Date(Date.now() + 60_000).toISOString() });
    await eesee.meta.db.update(apiKey).set({ expiresAt: new Date(Date.now() - 1) }).where(eq(apiKey.id, short.body!.id));
    expect((await bearer(short.body!.key, 'POST', '/api/v1/query', q)).status).toBe(401);

    const burst = (await call(owner, 'POST', `/api/orgs/${orgId}/api-keys`, { name: 'busy', scopes: ['stats:read'] })).body!.key;
    const statuses: number[] = [];
    for (let i = 0; i < 80; i++) statuses.push((await bearer(burst, 'GET', `/api/sites/${siteIds[1]}`)).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(60)).toContain(429);

    expect((await call(owner, 'DELETE', `/api/orgs/${orgId}/api-keys/${readKeyId}`)).body).toMatchObject({ id: readKeyId, revoked_at: expect.any(String) });
    expect((await bearer(readKey, 'POST', '/api/v1/query', q)).status).toBe(401);
  });

  it('deletes the organisation with its sites for the owner', async () => {
    expect((await call(owner, 'DELETE', `/api/orgs/${orgId}`)).status).toBe(204);
    expect((await call(viewer, 'GET', `/api/sites/${siteIds[0]}`)).status).toBe(404);
    // Their data is purged at once; the purge stays recorded a while for the hourly job to sweep stragglers.
    expect((await eesee.meta.db.select({ siteId: sitePurge.siteId }).from(sitePurge)).map((p) => p.siteId).sort()).toEqual([...siteIds].sort());
    await eesee.sites.purgePending(Date.now() + PURGE_GRACE_MS + 1000);
    expect(await eesee.meta.db.select().from(sitePurge)).toEqual([]);
    expect((await call(viewer, 'GET', '/api/orgs')).body!.organizations.map((o: { name: string }) => o.name)).toEqual(["viewer's sites"]);
  });

  it("records the purge of an organisation's sites with its deletion, for the hourly job if the purge itself fails", async () => {
    const org = (await call(owner, 'POST', '/api/orgs', { name: 'Short-lived' })).body!.id as string;
    const ids: number[] = [];
    for (const domain of ['one.test', 'two.test']) ids.push((await call(owner, 'POST', '/api/sites', { organization_id: org, name: domain, domain })).body!.id as number);
    expect((await new Organizations(eesee.meta.db).delete(org)).sort()).toEqual([...ids].sort());
    const pending = await eesee.meta.db.select({ siteId: sitePurge.siteId }).from(sitePurge);
    expect(pending.map((p) => p.siteId).sort()).toEqual([...ids].sort());
    expect((await eesee.sites.purgePending(Date.now() + PURGE_GRACE_MS + 1000)).sort()).toEqual([...ids].sort());
    expect(await eesee.meta.db.select().from(sitePurge)).toEqual([]);
  });
});
