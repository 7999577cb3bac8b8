// The access-control matrix: every route the server registers must have a decision here (a new route without one
// fails the first test), and each protected route is called as every kind of caller — anonymous, each role, a member
// of another organisation, API keys of each scope and of another organisation — expecting the status the permission
// table in README.md implies. IDOR probes then put another organisation's ids in every position that takes an id.
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { member } from '../src/stores/meta/schema.js';
import { signUp, startTestEesee, type TestEesee } from './support/test-eesee.js';

const WHO = ['anonymous', 'owner', 'admin', 'member', 'viewer', 'outsider', 'key:stats:read', 'key:ingest', 'key:admin', 'key:other-org', 'share'] as const;
type Who = (typeof WHO)[number];
type Expect = Record<Who, number>;

let eesee: TestEesee;
let base: string;
const cookies = {} as Record<'owner' | 'admin' | 'member' | 'viewer' | 'outsider', string>;
const userIds = {} as Record<'owner' | 'admin' | 'member' | 'viewer' | 'outsider', string>;
const keys = {} as Record<'key:stats:read' | 'key:ingest' | 'key:admin' | 'key:other-org', string>;
/** The organisation under test, its site, and the outsider's organisation with its site, key, member and invitation. */
let orgId: string;
let siteId: number;
const other = { orgId: '', siteId: 0, keyId: '', memberId: '', invitationId: '', shareId: '', shareToken: '' };
/** Accounts to add as members and remove again, one per destructive call. */
const spareUsers: string[] = [];
/** A share link of the site under test (read-only view of that one site). */
let shareToken: string;

interface Response {
  status: number;
  text: string;
}

async function send(who: Who, method: string, url: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { origin: base };
  if (who.startsWith('key:')) headers.authorization = `Bearer ${keys[who as keyof typeof keys]}`;
  else if (who === 'share') headers['x-eesee-share'] = shareToken;
  else if (who !== 'anonymous') headers.cookie = cookies[who as keyof typeof cookies];
  if (body !== undefined) headers['content-type'] = 'application/json';
  const ctrl = new AbortController();
  const res = await fetch(base + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: ctrl.signal });
  // The live stream never ends: its status and first bytes are enough.
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    ctrl.abort();
    return { status: res.status, text: 'event-stream' };
  }
  return { status: res.status, text: await res.text() };
}

async function asOwner(method: string, url: string, body?: unknown): Promise<any> {
  const res = await send('owner', method, url, body);
  if (res.status >= 300) throw new Error(`${method} ${url} as owner: ${res.status} ${res.text}`);
  return res.text ? JSON.parse(res.text) : undefined;
}

async function addMember(org: string, userId: string, role: string): Promise<string> {
  const id = randomUUID();
  await eesee.meta.db.insert(member).values({ id, organizationId: org, userId, role });
  return id;
}

const userIdOf = async (cookie: string) => {
  const res = await fetch(`${base}/api/auth/get-session`, { headers: { cookie } });
  return ((await res.json()) as { user: { id: string } }).user.id;
};

/** Expected statuses, from a few common shapes. */
const row = (e: Partial<Expect> & Pick<Expect, 'owner'>): Expect => ({
  anonymous: 401,
  admin: e.owner,
  member: e.owner,
  viewer: e.owner,
  outsider: 404,
  'key:stats:read': 403,
  'key:ingest': 403,
  'key:admin': 403,
  'key:other-org': 403,
  share: 403,
  ...e,
});
/** Read a site's statistics: every role and stats keys; ingest-only keys and strangers see nothing (404). */
const siteRead = row({ owner: 200, 'key:stats:read': 200, 'key:admin': 200, 'key:ingest': 404, 'key:other-org': 404, share: 200 });
/** Sharing settings of a site: those who may change it, and admin keys. */
const shareManagers = (ok: number) => row({ owner: ok, viewer: 403, 'key:admin': ok, 'key:ingest': 404, 'key:other-org': 404 });
/** Account-level routes: people only, never keys. */
const peopleOnly = (ok: number, rest: Partial<Expect> = {}) => row({ owner: ok, outsider: ok, ...rest });
/** Organisation routes that need members:manage or keys:manage. */
const managers = (ok: number) => row({ owner: ok, admin: ok, member: 403, viewer: 403 });

interface Case {
  expect: Expect;
  /** The request for one caller; destructive routes get a fresh target per call. */
  request(who: Who): Promise<{ url: string; body?: unknown }>;
  /** Extra check on a successful answer, e.g. that nothing of another organisation leaks. */
  check?(who: Who, res: Response): void;
}

let n = 0;
const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

/** Anyone may call these: ingestion, the script, Better Auth's own routes (which check themselves), docs, the app. */
const PUBLIC: Record<string, string> = {
  'OPTIONS /api/track': 'CORS preflight of the tracker',
  'POST /api/track': 'ingestion from visitors’ browsers',
  'GET /api/script.js': 'the tracking script',
  'GET /api/auth/*': 'Better Auth (sessions, sign-in)',
  'POST /api/auth/*': 'Better Auth (sign-up, sign-in, sign-out)',
  'GET /api/docs': 'OpenAPI description',
  'GET /api/health': 'health check',
  'GET /': 'the dashboard app',
  'GET /index.html': 'the dashboard app',
  'GET /api/share/:token': 'opens a share link: the token is the credential (share.test.ts)',
  'POST /api/share/:token/unlock': 'password of a share link, rate-limited (share.test.ts)',
  'GET /api/public/:siteId': 'a public dashboard, when its site allows it (share.test.ts)',
};
const isPublic = (key: string) => key in PUBLIC || key.startsWith('GET /assets/');

const CASES: Record<string, Case> = {
  'POST /api/sites': {
    expect: row({ owner: 201, viewer: 403, 'key:admin': 201, 'key:other-org': 404 }),
    request: async () => ({ url: '/api/sites', body: { organization_id: orgId, name: 'New', domain: `${unique()}.test` } }),
  },
  'GET /api/sites': {
    expect: row({ owner: 200, outsider: 200, 'key:stats:read': 200, 'key:ingest': 200, 'key:admin': 200, 'key:other-org': 200, share: 200 }),
    request: async () => ({ url: '/api/sites' }),
    check(who, res) {
      const ids = (JSON.parse(res.text) as { sites: { id: number }[] }).sites.map((s) => s.id);
      if (who === 'share') expect(ids).toEqual([siteId]);
      if (['outsider', 'key:other-org', 'key:ingest'].includes(who)) expect(ids, who).not.toContain(siteId);
      else expect(ids, who).toContain(siteId);
      if (!['outsider', 'key:other-org'].includes(who)) expect(ids, who).not.toContain(other.siteId);
    },
  },
  'GET /api/sites/:id': { expect: siteRead, request: async () => ({ url: `/api/sites/${siteId}` }) },
  'PATCH /api/sites/:id': {
    expect: row({ owner: 200, viewer: 403, 'key:admin': 200, 'key:ingest': 404, 'key:other-org': 404 }),
    request: async () => ({ url: `/api/sites/${siteId}`, body: { name: `Renamed ${unique()}` } }),
  },
  'DELETE /api/sites/:id': {
    // The site is a fresh one, not the shared one: the share link does not see it at all.
    expect: row({ owner: 204, member: 403, viewer: 403, 'key:admin': 204, 'key:ingest': 404, 'key:other-org': 404, share: 404 }),
    request: async () => ({ url: `/api/sites/${(await asOwner('POST', '/api/sites', { organization_id: orgId, name: 'Doomed', domain: `${unique()}.test` })).id}` }),
  },
  'POST /api/v1/query': { expect: siteRead, request: async () => ({ url: '/api/v1/query', body: { site_id: siteId, date_range: '7d', metrics: ['visitors'] } }) },
  'GET /api/sites/:id/realtime': { expect: siteRead, request: async () => ({ url: `/api/sites/${siteId}/realtime` }) },
  'GET /api/sites/:id/live': { expect: siteRead, request: async () => ({ url: `/api/sites/${siteId}/live` }) },

  'GET /api/sites/:id/shares': {
    expect: shareManagers(200),
    request: async () => ({ url: `/api/sites/${siteId}/shares` }),
    check(who, res) {
      expect(res.text, who).not.toContain(shareToken);
      expect(res.text).not.toMatch(/[0-9a-f]{64}|scrypt/);
    },
  },
  'POST /api/sites/:id/shares': { expect: shareManagers(201), request: async () => ({ url: `/api/sites/${siteId}/shares`, body: { name: 'client' } }) },
  'DELETE /api/sites/:id/shares/:shareId': {
    expect: shareManagers(200),
    request: async () => ({ url: `/api/sites/${siteId}/shares/${(await asOwner('POST', `/api/sites/${siteId}/shares`, { name: 'doomed' })).id}` }),
  },
  'GET /api/account': { expect: peopleOnly(200), request: async () => ({ url: '/api/account' }) },
  'GET /api/account/sessions': {
    expect: peopleOnly(200),
    request: async () => ({ url: '/api/account/sessions' }),
    check(who, res) {
      for (const c of Object.values(cookies)) expect(res.text, who).not.toContain(decodeURIComponent(c.split('=')[1]!).split('.')[0]);
    },
  },
  // A fresh login of the owner each time: only the owner may end it; for everyone else it does not exist.
  'DELETE /api/account/sessions/:id': {
    expect: peopleOnly(404, { owner: 204, admin: 404, member: 404, viewer: 404 }),
    request: async () => {
      await fetch(`${base}/api/auth/sign-in/email`, { method: 'POST', headers: { origin: base, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@matrix.test', password: 'correct horse battery' }) });
      const list = (await asOwner('GET', '/api/account/sessions')).sessions as { id: string; current: boolean }[];
      return { url: `/api/account/sessions/${list.find((s) => !s.current)!.id}` };
    },
  },
  'GET /api/orgs': {
    expect: peopleOnly(200),
    request: async () => ({ url: '/api/orgs' }),
    check(who, res) {
      const ids = (JSON.parse(res.text) as { organizations: { id: string }[] }).organizations.map((o) => o.id);
      expect(ids.includes(orgId), who).toBe(who !== 'outsider');
    },
  },
  'POST /api/orgs': { expect: peopleOnly(201), request: async () => ({ url: '/api/orgs', body: { name: `Org ${unique()}` } }) },
  'GET /api/orgs/:orgId': { expect: row({ owner: 200 }), request: async () => ({ url: `/api/orgs/${orgId}` }) },
  'PATCH /api/orgs/:orgId': { expect: managers(200), request: async () => ({ url: `/api/orgs/${orgId}`, body: { name: 'Matrix' } }) },
  'DELETE /api/orgs/:orgId': {
    expect: row({ owner: 204, admin: 403, member: 403, viewer: 403 }),
    request: async () => {
      const org = (await asOwner('POST', '/api/orgs', { name: 'Short-lived' })).id as string;
      for (const role of ['admin', 'member', 'viewer'] as const) await addMember(org, userIds[role], role);
      return { url: `/api/orgs/${org}` };
    },
  },
  'GET /api/orgs/:orgId/members': { expect: row({ owner: 200 }), request: async () => ({ url: `/api/orgs/${orgId}/members` }) },
  'PATCH /api/orgs/:orgId/members/:memberId': {
    expect: managers(200),
    request: async () => ({ url: `/api/orgs/${orgId}/members/${await addMember(orgId, spareUsers.pop()!, 'viewer')}`, body: { role: 'member' } }),
  },
  'DELETE /api/orgs/:orgId/members/:memberId': {
    expect: managers(204),
    request: async () => ({ url: `/api/orgs/${orgId}/members/${await addMember(orgId, spareUsers.pop()!, 'viewer')}` }),
  },
  'GET /api/orgs/:orgId/invitations': { expect: managers(200), request: async () => ({ url: `/api/orgs/${orgId}/invitations` }) },
  'POST /api/orgs/:orgId/invitations': {
    expect: managers(201),
    request: async () => ({ url: `/api/orgs/${orgId}/invitations`, body: { email: `${unique()}@invitee.test`, role: 'viewer' } }),
  },
  'DELETE /api/orgs/:orgId/invitations/:invitationId': {
    expect: managers(200),
    request: async () => ({ url: `/api/orgs/${orgId}/invitations/${(await asOwner('POST', `/api/orgs/${orgId}/invitations`, { email: `${unique()}@invitee.test`, role: 'member' })).id}` }),
  },
  // An invitation belongs to the address it was sent to: nobody else, member or not, can read or answer it.
  'GET /api/invitations/:id': {
    expect: peopleOnly(404),
    request: async () => ({ url: `/api/invitations/${(await asOwner('POST', `/api/orgs/${orgId}/invitations`, { email: `${unique()}@invitee.test`, role: 'member' })).id}` }),
  },
  'POST /api/invitations/:id/accept': {
    expect: peopleOnly(404),
    request: async () => ({ url: `/api/invitations/${(await asOwner('POST', `/api/orgs/${orgId}/invitations`, { email: `${unique()}@invitee.test`, role: 'admin' })).id}/accept` }),
  },
  'POST /api/invitations/:id/decline': {
    expect: peopleOnly(404),
    request: async () => ({ url: `/api/invitations/${(await asOwner('POST', `/api/orgs/${orgId}/invitations`, { email: `${unique()}@invitee.test`, role: 'member' })).id}/decline` }),
  },
  'GET /api/orgs/:orgId/api-keys': {
    expect: managers(200),
    request: async () => ({ url: `/api/orgs/${orgId}/api-keys` }),
    check(who, res) {
      for (const key of Object.values(keys)) expect(res.text, who).not.toContain(key);
      expect(res.text).not.toMatch(/[0-9a-f]{64}/);
    },
  },
  'POST /api/orgs/:orgId/api-keys': { expect: managers(201), request: async () => ({ url: `/api/orgs/${orgId}/api-keys`, body: { name: 'k', scopes: ['stats:read'] } }) },
  'DELETE /api/orgs/:orgId/api-keys/:keyId': {
    expect: managers(200),
    request: async () => ({ url: `/api/orgs/${orgId}/api-keys/${(await asOwner('POST', `/api/orgs/${orgId}/api-keys`, { name: 'doomed', scopes: ['stats:read'] })).id}` }),
  },
};

beforeAll(async () => {
  eesee = await startTestEesee();
  await eesee.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(eesee.app.server.address() as AddressInfo).port}`;
  for (const who of ['owner', 'admin', 'member', 'viewer', 'outsider'] as const) {
    cookies[who] = await signUp(eesee, `${who}@matrix.test`);
    userIds[who] = await userIdOf(cookies[who]);
  }
  for (let i = 0; i < 24; i++) spareUsers.push(await userIdOf(await signUp(eesee, `spare${i}@matrix.test`)));

  orgId = (await asOwner('POST', '/api/orgs', { name: 'Matrix' })).id;
  for (const role of ['admin', 'member', 'viewer'] as const) await addMember(orgId, userIds[role], role);
  siteId = (await asOwner('POST', '/api/sites', { organization_id: orgId, name: 'Matrix site', domain: 'matrix.test' })).id;
  for (const scope of ['stats:read', 'ingest', 'admin'] as const) {
    keys[`key:${scope}`] = (await asOwner('POST', `/api/orgs/${orgId}/api-keys`, { name: scope, scopes: [scope] })).key;
  }

  shareToken = (await asOwner('POST', `/api/sites/${siteId}/shares`, { name: 'matrix' })).token;

  // The outsider's own organisation, with a site, a key, a second member and a pending invitation.
  const outsiderAs = async (method: string, url: string, body?: unknown) => JSON.parse((await send('outsider', method, url, body)).text);
  other.orgId = (await outsiderAs('POST', '/api/orgs', { name: 'Elsewhere' })).id;
  other.siteId = (await outsiderAs('POST', '/api/sites', { organization_id: other.orgId, name: 'Theirs', domain: 'theirs.test' })).id;
  const otherKey = await outsiderAs('POST', `/api/orgs/${other.orgId}/api-keys`, { name: 'theirs', scopes: ['stats:read', 'admin'] });
  keys['key:other-org'] = otherKey.key;
  other.keyId = otherKey.id;
  other.memberId = await addMember(other.orgId, spareUsers.pop()!, 'member');
  const otherShare = await outsiderAs('POST', `/api/sites/${other.siteId}/shares`, { name: 'theirs' });
  other.shareId = otherShare.id;
  other.shareToken = otherShare.token;
  other.invitationId = (await outsiderAs('POST', `/api/orgs/${other.orgId}/invitations`, { email: 'owner@matrix.test', role: 'viewer' })).id;
});

afterAll(async () => {
  await eesee.stop();
});

describe('access-control matrix', () => {
  it('has a decision for every registered route', () => {
    const undecided = eesee.routes.map((r) => `${r.method} ${r.url}`).filter((key) => !isPublic(key) && !(key in CASES));
    expect(undecided, 'routes without an access decision: add them to CASES or PUBLIC').toEqual([]);
    const stale = Object.keys(CASES).filter((key) => !eesee.routes.some((r) => `${r.method} ${r.url}` === key));
    expect(stale, 'decisions for routes that no longer exist').toEqual([]);
  });

  it('documents every API route in the OpenAPI description at /api/docs', async () => {
    const doc = JSON.parse((await send('anonymous', 'GET', '/api/docs')).text) as { paths: Record<string, Record<string, unknown>> };
    const undocumented = eesee.routes
      .filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/auth/') && r.method !== 'OPTIONS' && !['/api/docs', '/api/health', '/api/script.js'].includes(r.url))
      .filter((r) => !doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.url}`);
    expect(undocumented).toEqual([]);
  });

  it('lets anyone reach the public routes without a session', async () => {
    for (const [method, url] of [
      ['GET', '/api/health'],
      ['GET', '/api/script.js'],
      ['GET', '/api/docs'],
      ['GET', '/'],
      ['GET', '/api/auth/get-session'],
    ]) {
      expect((await send('anonymous', method!, url!)).status, url).toBe(200);
    }
  });

  for (const [route, c] of Object.entries(CASES)) {
    it(`${route}`, async () => {
      const [method] = route.split(' ');
      const got: Partial<Record<Who, number>> = {};
      for (const who of WHO) {
        const { url, body } = await c.request(who);
        const res = await send(who, method!, url, body);
        got[who] = res.status;
        if (res.status < 300 && res.status === c.expect[who]) c.check?.(who, res);
        // Every refusal is JSON that says why.
        if (res.status >= 400) expect(JSON.parse(res.text), `${who}: ${res.text}`).toMatchObject({ error: expect.any(String) });
      }
      expect(got).toEqual(c.expect);
    });
  }
});

describe('IDOR probes: another organisation’s ids in every id position', () => {
  it('answers 404 to a member of one organisation using the ids of another', async () => {
    const probes: [string, string, unknown?][] = [
      ['GET', `/api/sites/${other.siteId}`],
      ['PATCH', `/api/sites/${other.siteId}`, { name: 'pwned' }],
      ['DELETE', `/api/sites/${other.siteId}`],
      ['GET', `/api/sites/${other.siteId}/realtime`],
      ['GET', `/api/sites/${other.siteId}/live`],
      ['POST', '/api/v1/query', { site_id: other.siteId, date_range: '7d', metrics: ['visitors'] }],
      ['POST', '/api/sites', { organization_id: other.orgId, name: 'x', domain: 'x.test' }],
      ['GET', `/api/orgs/${other.orgId}`],
      ['PATCH', `/api/orgs/${other.orgId}`, { name: 'pwned' }],
      ['DELETE', `/api/orgs/${other.orgId}`],
      ['GET', `/api/orgs/${other.orgId}/members`],
      ['GET', `/api/orgs/${other.orgId}/invitations`],
      ['GET', `/api/orgs/${other.orgId}/api-keys`],
      ['POST', `/api/orgs/${other.orgId}/api-keys`, { name: 'x', scopes: ['admin'] }],
      ['POST', `/api/orgs/${other.orgId}/invitations`, { email: 'spy@evil.test', role: 'owner' }],
      // Our organisation in the path, their member, invitation or key as the second id.
      ['PATCH', `/api/orgs/${orgId}/members/${other.memberId}`, { role: 'viewer' }],
      ['DELETE', `/api/orgs/${orgId}/members/${other.memberId}`],
      ['DELETE', `/api/orgs/${orgId}/invitations/${other.invitationId}`],
      ['DELETE', `/api/orgs/${orgId}/api-keys/${other.keyId}`],
      ['GET', `/api/sites/${other.siteId}/shares`],
      ['POST', `/api/sites/${other.siteId}/shares`, { name: 'x' }],
      ['DELETE', `/api/sites/${other.siteId}/shares/${other.shareId}`],
      // Our site in the path, their share link as the second id.
      ['DELETE', `/api/sites/${siteId}/shares/${other.shareId}`],
    ];
    for (const who of ['owner', 'admin', 'key:admin'] as const) {
      for (const [method, url, body] of probes) {
        const res = await send(who, method, url, body);
        const expected = who.startsWith('key:') && url.startsWith('/api/orgs') ? 403 : 404;
        expect(res.status, `${who} ${method} ${url}: ${res.text}`).toBe(expected);
      }
    }
    // Their share link opens only their site.
    const theirLink = { 'x-eesee-share': other.shareToken, origin: base, 'content-type': 'application/json' };
    expect((await fetch(`${base}/api/v1/query`, { method: 'POST', headers: theirLink, body: JSON.stringify({ site_id: siteId, date_range: '7d', metrics: ['visitors'] }) })).status).toBe(404);
    expect((await fetch(`${base}/api/sites/${siteId}`, { headers: theirLink })).status).toBe(404);
    // Their things are all still there.
    expect((await send('outsider', 'GET', `/api/sites/${other.siteId}`)).status).toBe(200);
    expect(JSON.parse((await send('outsider', 'GET', `/api/orgs/${other.orgId}/api-keys`)).text).api_keys[0].revoked_at).toBeNull();
    expect(JSON.parse((await send('outsider', 'GET', `/api/orgs/${other.orgId}/members`)).text).members).toHaveLength(2);
    expect(JSON.parse((await send('outsider', 'GET', `/api/sites/${other.siteId}/shares`)).text).shares[0].revoked_at).toBeNull();
  });

  it('does not let the invitee of another organisation’s invitation be anyone but its addressee', async () => {
    // The outsider invited owner@matrix.test: the owner may read it, the admin (same organisation as the owner) may not.
    expect((await send('owner', 'GET', `/api/invitations/${other.invitationId}`)).status).toBe(200);
    expect((await send('admin', 'GET', `/api/invitations/${other.invitationId}`)).status).toBe(404);
    expect((await send('admin', 'POST', `/api/invitations/${other.invitationId}/accept`)).status).toBe(404);
  });

  it('refuses malformed ids with a clear 4xx, never a 500', async () => {
    for (const url of ['/api/sites/abc', '/api/sites/-1', '/api/sites/99999999999', `/api/orgs/${'x'.repeat(500)}`, '/api/invitations/..%2F..', '/api/orgs/%00/members']) {
      const res = await send('owner', 'GET', url);
      expect([400, 404, 414], `${url}: ${res.status} ${res.text}`).toContain(res.status);
      expect(JSON.parse(res.text)).toEqual({ error: expect.any(String) });
    }
  });
});
