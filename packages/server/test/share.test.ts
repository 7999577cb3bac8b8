// Sharing: a share link opens one site's dashboard read-only (with or without a password), lists never reveal its
// secret, revocation closes it, a public dashboard opens only when the site allows it, and shared pages may be framed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite, SAME_ORIGIN, signUp, startTestEesee, type TestEesee } from './support/test-eesee.js';

let eesee: TestEesee;
let cookie: string;
let siteId: number;
let otherSiteId: number;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
async function call(method: Method, url: string, opts: { cookie?: string; headers?: Record<string, string>; payload?: unknown; ip?: string } = {}) {
  const res = await eesee.app.inject({
    method,
    url,
    remoteAddress: opts.ip,
    headers: { origin: SAME_ORIGIN, ...(opts.cookie && { cookie: opts.cookie }), ...opts.headers },
    ...(opts.payload !== undefined && { payload: opts.payload as object }),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, headers: res.headers, raw: res.body };
}
const query = (headers: Record<string, string>, site = siteId) => call('POST', '/api/v1/query', { headers, payload: { site_id: site, date_range: '7d', metrics: ['visitors'] } });

beforeAll(async () => {
  eesee = await startTestEesee();
  cookie = await signUp(eesee);
  siteId = (await createSite(eesee, cookie, { name: 'Shop', domain: 'shop.test' })).id;
  otherSiteId = (await createSite(eesee, cookie, { name: 'Blog', domain: 'blog.test' })).id;
});
afterAll(async () => {
  await eesee.stop();
});

describe('share links', () => {
  it('opens one site read-only with the link token, and nothing else', async () => {
    const created = await call('POST', `/api/sites/${siteId}/shares`, { cookie, payload: { name: 'for the client' } });
    expect(created.status).toBe(201);
    const { token, url } = created.body;
    expect(url).toMatch(new RegExp(`/share/${token}$`));
    const info = await call('GET', `/api/share/${token}`);
    expect(info.body).toEqual({ site: { id: siteId, name: 'Shop', domain: 'shop.test', timezone: 'Europe/Berlin' }, password_required: false });

    const link = { 'x-eesee-share': token };
    expect((await query(link)).status).toBe(200);
    // The site as a shared view sees it: no settings (excluded IPs, hidden paths…), no organisation.
    await call('PATCH', `/api/sites/${siteId}`, { cookie, payload: { settings: { excludedIps: ['10.20.30.40'], excludedPaths: ['/admin/**'] } } });
    const shown = { id: siteId, name: 'Shop', domain: 'shop.test', timezone: 'Europe/Berlin' };
    expect((await call('GET', `/api/sites/${siteId}`, { headers: link })).body).toEqual(shown);
    expect((await call('GET', '/api/sites', { headers: link })).body).toEqual({ sites: [shown] });
    expect((await call('GET', `/api/sites/${siteId}/realtime`, { headers: link })).status).toBe(200);
    expect((await query(link, otherSiteId)).status).toBe(404);
    expect((await call('PATCH', `/api/sites/${siteId}`, { headers: link, payload: { name: 'x' } })).status).toBe(403);
    expect((await call('GET', `/api/sites/${siteId}/shares`, { headers: link })).status).toBe(403);
    expect((await call('GET', '/api/orgs', { headers: link })).status).toBe(403);
    // Even a signed-in person's cookie does not widen a request that names a share link.
    expect((await query(link, otherSiteId).then(() => call('POST', '/api/v1/query', { cookie, headers: link, payload: { site_id: otherSiteId, date_range: '7d', metrics: ['visitors'] } }))).status).toBe(404);

    const list = await call('GET', `/api/sites/${siteId}/shares`, { cookie });
    expect(list.raw).not.toContain(token);
    expect(list.body.shares[0]).toMatchObject({ name: 'for the client', has_password: false, last_used_at: expect.any(String), revoked_at: null });

    expect((await call('DELETE', `/api/sites/${siteId}/shares/${created.body.id}`, { cookie })).body.revoked_at).toEqual(expect.any(String));
    expect((await query(link)).status).toBe(401);
    expect((await call('GET', `/api/share/${token}`)).status).toBe(404);
  });

  it('asks for the password, refuses a wrong one, and limits guessing', async () => {
    const { token } = (await call('POST', `/api/sites/${siteId}/shares`, { cookie, payload: { name: 'board', password: 'correct horse' } })).body;
    // Before the password, not even the site's name.
    expect((await call('GET', `/api/share/${token}`)).body).toEqual({ password_required: true });
    expect((await query({ 'x-eesee-share': token })).body.error).toMatch(/password/);
    expect((await call('POST', `/api/share/${token}/unlock`, { payload: { password: 'wrong horse' }, ip: '198.51.100.7' })).status).toBe(401);
    const unlocked = await call('POST', `/api/share/${token}/unlock`, { payload: { password: 'correct horse' }, ip: '198.51.100.7' });
    expect(unlocked.status).toBe(200);
    expect((await query({ 'x-eesee-share': token, 'x-eesee-share-grant': unlocked.body.grant })).status).toBe(200);
    expect((await query({ 'x-eesee-share': token, 'x-eesee-share-grant': unlocked.body.grant.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A')) })).status).toBe(401);
    expect((await query({ 'x-eesee-share': token, 'x-eesee-share-grant': `${Date.now() + 1e9}.forged` })).status).toBe(401);

    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await call('POST', `/api/share/${token}/unlock`, { payload: { password: `guess ${i}` }, ip: '198.51.100.8' })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect((await call('POST', `/api/sites/${siteId}/shares`, { cookie, payload: { name: 'weak', password: 'short' } })).status).toBe(400);
  });

  it('opens a public dashboard only while the site allows it', async () => {
    const pub = { 'x-eesee-share': `public:${siteId}` };
    expect((await call('GET', `/api/public/${siteId}`)).status).toBe(404);
    expect((await query(pub)).status).toBe(404);
    await call('PATCH', `/api/sites/${siteId}`, { cookie, payload: { settings: { publicDashboard: true } } });
    expect((await call('GET', `/api/public/${siteId}`)).body.site).toMatchObject({ id: siteId, name: 'Shop' });
    expect((await query(pub)).status).toBe(200);
    expect((await query(pub, otherSiteId)).status).toBe(404);
    expect((await query({ 'x-eesee-share': `public:${otherSiteId}` }, otherSiteId)).status).toBe(404);
    await call('PATCH', `/api/sites/${siteId}`, { cookie, payload: { settings: { publicDashboard: false } } });
    expect((await query(pub)).status).toBe(404);
  });

  it('lets shared pages be embedded and keeps the rest of the app unframeable', async () => {
    const shared = await eesee.app.inject({ url: `/share/${'b'.repeat(32)}` });
    expect(shared.headers['referrer-policy']).toBe('no-referrer');
    for (const url of ['/share/abc', '/share/x/y', '/public/abc', '/public/1/x', '/sites/1']) {
      const page = await eesee.app.inject({ url });
      expect(page.headers['x-frame-options'], url).toBe('DENY');
    }
    for (const url of [`/share/${'a'.repeat(32)}`, '/public/12']) {
      const page = await eesee.app.inject({ url });
      expect(page.headers['content-security-policy'], url).toBe('frame-ancestors *');
      expect(page.headers['x-frame-options']).toBeUndefined();
    }
  });
});
