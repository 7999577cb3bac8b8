// /api/sites: the caller's sites (create, list, read, change, delete), each call checked by auth/access.ts.
import type { FastifyInstance } from 'fastify';
import type { Access } from '../auth/access.js';
import { createSiteSchema, toSharedSiteDto, toSiteDto, updateSiteSchema, type Sites } from '../sites/sites.js';
import type { SiteRegistry } from '../ingest/site-registry.js';
import { toFetchHeaders } from './auth-routes.js';
import { validationError } from './errors.js';

const bodyObject = (body: unknown): Record<string, unknown> => (body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {});

export async function siteRoutes(app: FastifyInstance, opts: { access: Access; sites: Sites; registry: SiteRegistry }): Promise<void> {
  const { access, sites, registry } = opts;

  app.post('/api/sites', async (request, reply) => {
    const caller = await access.caller(toFetchHeaders(request));
    const { organization_id: orgId, ...rest } = bodyObject(request.body);
    if (orgId !== undefined && typeof orgId !== 'string') return reply.status(400).send({ error: 'organization_id: must be the id of one of your organisations' });
    const body = createSiteSchema.safeParse(rest);
    if (!body.success) return reply.status(400).send(validationError(body.error));
    const org = await access.orgForNewSite(caller, orgId);
    return reply.status(201).send(await sites.create(org, body.data));
  });

  app.get('/api/sites', async (request) => {
    const caller = await access.caller(toFetchHeaders(request));
    // A shared view sees its one site, without settings or organisation.
    return { sites: (await access.visibleSites(caller)).map(caller.kind === 'share' ? toSharedSiteDto : toSiteDto) };
  });

  app.get<{ Params: { id: string } }>('/api/sites/:id', async (request) => {
    const caller = await access.caller(toFetchHeaders(request));
    const site = await access.requireSite(caller, request.params.id, 'stats:read');
    return caller.kind === 'share' ? toSharedSiteDto(site) : toSiteDto(site);
  });

  app.patch<{ Params: { id: string } }>('/api/sites/:id', async (request, reply) => {
    const caller = await access.caller(toFetchHeaders(request));
    const current = await access.requireSite(caller, request.params.id, 'sites:update');
    const body = updateSiteSchema.safeParse(request.body ?? {});
    if (!body.success) return reply.status(400).send(validationError(body.error));
    const site = await sites.update(current, body.data);
    if (!site) return reply.status(404).send({ error: `no site with id ${current.id} in your organisations` });
    registry.invalidate(site.id);
    // A new retention applies at once, not at the next hourly run.
    if (body.data.settings?.retentionDays) await sites.applyRetention(site.id, body.data.settings.retentionDays);
    return site;
  });

  app.delete<{ Params: { id: string } }>('/api/sites/:id', async (request, reply) => {
    const caller = await access.caller(toFetchHeaders(request));
    const current = await access.requireSite(caller, request.params.id, 'data:delete');
    await sites.delete(current.id);
    registry.invalidate(current.id);
    await sites.purgeEvents([current.id]);
    return reply.status(204).send();
  });
}
