// /api/sites: the signed-in user's sites (create, list, read, change, delete).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Auth } from '../auth/auth.js';
import { createSiteSchema, SiteAccessError, updateSiteSchema, type Sites } from '../sites/sites.js';
import type { SiteRegistry } from '../ingest/site-registry.js';
import { requireUser } from './auth-routes.js';

const siteIdParam = z.object({ id: z.string().regex(/^\d{1,9}$/, 'site id must be a number').transform(Number) });

function validationError(error: z.ZodError): { error: string; details: string[] } {
  const details = error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
  return { error: details.join('; '), details };
}

export async function siteRoutes(app: FastifyInstance, opts: { auth: Auth; sites: Sites; registry: SiteRegistry }): Promise<void> {
  const { auth, sites, registry } = opts;

  app.post('/api/sites', async (request, reply) => {
    const user = await requireUser(auth, request, reply);
    if (!user) return reply;
    const body = createSiteSchema.safeParse(request.body ?? {});
    if (!body.success) return reply.status(400).send(validationError(body.error));
    try {
      return reply.status(201).send(await sites.create(user.id, body.data));
    } catch (err) {
      if (err instanceof SiteAccessError) return reply.status(403).send({ error: err.message });
      throw err;
    }
  });

  app.get('/api/sites', async (request, reply) => {
    const user = await requireUser(auth, request, reply);
    if (!user) return reply;
    return { sites: await sites.list(user.id) };
  });

  app.get('/api/sites/:id', async (request, reply) => {
    const user = await requireUser(auth, request, reply);
    if (!user) return reply;
    const params = siteIdParam.safeParse(request.params);
    if (!params.success) return reply.status(400).send(validationError(params.error));
    const site = await sites.get(user.id, params.data.id);
    return site ?? reply.status(404).send({ error: `no site with id ${params.data.id} in your organisations` });
  });

  app.patch('/api/sites/:id', async (request, reply) => {
    const user = await requireUser(auth, request, reply);
    if (!user) return reply;
    const params = siteIdParam.safeParse(request.params);
    if (!params.success) return reply.status(400).send(validationError(params.error));
    const body = updateSiteSchema.safeParse(request.body ?? {});
    if (!body.success) return reply.status(400).send(validationError(body.error));
    const site = await sites.update(user.id, params.data.id, body.data);
    if (!site) return reply.status(404).send({ error: `no site with id ${params.data.id} in your organisations` });
    registry.invalidate(site.id);
    return site;
  });

  app.delete('/api/sites/:id', async (request, reply) => {
    const user = await requireUser(auth, request, reply);
    if (!user) return reply;
    const params = siteIdParam.safeParse(request.params);
    if (!params.success) return reply.status(400).send(validationError(params.error));
    const deleted = await sites.delete(user.id, params.data.id);
    if (!deleted) return reply.status(404).send({ error: `no site with id ${params.data.id} in your organisations` });
    registry.invalidate(params.data.id);
    return reply.status(204).send();
  });
}
