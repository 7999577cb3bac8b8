// Sharing: share links of a site (list, create, revoke) for its members; the public side that opens a shared or
// public dashboard (site facts, password unlock). Stats requests of a shared view carry x-eesee-share (auth/access.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AccessError, type Access } from '../auth/access.js';
import { TokenBucketLimiter } from '../ingest/rate-limit.js';
import { createShareSchema, type ShareLinks } from '../sharing/share-links.js';
import { toSharedSiteDto } from '../sites/sites.js';
import { toFetchHeaders } from './auth-routes.js';
import { validationError } from './errors.js';

interface Deps {
  access: Access;
  shares: ShareLinks;
  baseUrl?: string;
}


export async function shareRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { access, shares } = deps;
  const appUrl = (request: FastifyRequest) => deps.baseUrl ?? `${request.protocol}://${request.host}`;
  // Password guesses: 5 at once, then one every 5 seconds per address.
  const unlockLimiter = new TokenBucketLimiter(0.2, 5);

  app.get<{ Params: { id: string } }>('/api/sites/:id/shares', async (request) => {
    const caller = await access.caller(toFetchHeaders(request));
    const site = await access.requireSite(caller, request.params.id, 'shares:manage');
    return { shares: await shares.list(site.id) };
  });

  app.post<{ Params: { id: string } }>('/api/sites/:id/shares', async (request, reply) => {
    const caller = await access.caller(toFetchHeaders(request));
    const site = await access.requireSite(caller, request.params.id, 'shares:manage');
    const body = createShareSchema.safeParse(request.body ?? {});
    if (!body.success) return reply.status(400).send(validationError(body.error));
    const { token, share } = await shares.create(site.id, caller.kind === 'user' ? caller.userId : null, body.data);
    return reply.status(201).send({ ...share, token, url: `${appUrl(request)}/share/${token}` });
  });

  app.delete<{ Params: { id: string; shareId: string } }>('/api/sites/:id/shares/:shareId', async (request) => {
    const caller = await access.caller(toFetchHeaders(request));
    const site = await access.requireSite(caller, request.params.id, 'shares:manage');
    const revoked = await shares.revoke(site.id, request.params.shareId);
    if (!revoked) throw new AccessError(404, 'no such active share link for this site');
    return revoked;
  });

  // --- The visitor's side of a share link or a public dashboard ---
  app.get<{ Params: { token: string } }>('/api/share/:token', async (request) => {
    const resolved = await shares.resolve(request.params.token, request.headers['x-eesee-share-grant'] as string | undefined);
    if (!resolved) throw new AccessError(404, 'this share link is unknown or was revoked');
    // Behind a password, not even the site's name shows before the password is given.
    if (!('view' in resolved)) return { password_required: true };
    const site = await access.requireSite({ kind: 'share', ...resolved.view }, resolved.view.siteId, 'stats:read');
    return { site: toSharedSiteDto(site), password_required: false };
  });

  app.post<{ Params: { token: string } }>('/api/share/:token/unlock', async (request, reply) => {
    if (!(await unlockLimiter.take(`${request.ip}`, Date.now()))) throw new AccessError(429, 'too many password attempts; wait a minute and try again');
    const password = (request.body as { password?: unknown } | undefined)?.password;
    if (typeof password !== 'string' || password.length > 256) return reply.status(400).send({ error: 'password: required' });
    const result = await shares.unlock(request.params.token, password);
    if (!result) throw new AccessError(404, 'this share link is unknown or was revoked');
    if (result === 'wrong-password') throw new AccessError(401, 'wrong password');
    return result;
  });

  app.get<{ Params: { siteId: string } }>('/api/public/:siteId', async (request) => {
    const id = /^\d{1,9}$/.test(request.params.siteId) ? Number(request.params.siteId) : NaN;
    const view = Number.isFinite(id) ? await shares.publicView(id) : undefined;
    if (!view) throw new AccessError(404, 'this dashboard is not public');
    return { site: toSharedSiteDto(await access.requireSite({ kind: 'share', ...view }, id, 'stats:read')) };
  });
}
