// /api/orgs: organisations, members, invitations and API keys; /api/invitations: the invitee's side.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AccessError, type Access } from '../auth/access.js';
import { ApiKeyError, createKeySchema, type ApiKeys } from '../auth/api-keys.js';
import { mayAssignRole } from '../auth/roles.js';
import { createInvitationSchema, type Invitations } from '../orgs/invitations.js';
import { createOrgSchema, memberRoleSchema, updateOrgSchema, type Organizations } from '../orgs/organizations.js';
import type { Sites } from '../sites/sites.js';
import type { SiteRegistry } from '../ingest/site-registry.js';
import { toFetchHeaders } from './auth-routes.js';
import { validationError } from './errors.js';

interface Deps {
  access: Access;
  orgs: Organizations;
  invitations: Invitations;
  keys: ApiKeys;
  sites: Sites;
  registry: SiteRegistry;
  baseUrl?: string;
}

type OrgParams = { Params: { orgId: string } };

export async function orgRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { access, orgs, invitations, keys } = deps;
  const userOf = (request: FastifyRequest) => access.user(toFetchHeaders(request));
  const appUrl = (request: FastifyRequest) => deps.baseUrl ?? `${request.protocol}://${request.host}`;

  // --- Organisations ---
  app.get('/api/orgs', async (request) => {
    const user = await userOf(request);
    return { organizations: await orgs.listFor(user.userId) };
  });

  app.post('/api/orgs', async (request, reply) => {
    const user = await userOf(request);
    const body = createOrgSchema.safeParse(request.body ?? {});
    if (!body.success) return reply.status(400).send(validationError(body.error));
    return reply.status(201).send(await orgs.create(user.userId, body.data.name));
  });

  app.get<OrgParams>('/api/orgs/:orgId', async (request) => {
    const user = await userOf(request);
    const { role } = await access.requireOrg(user, request.params.orgId, 'stats:read');
    return (await orgs.get(request.params.orgId, role!))!;
  });

  app.patch<OrgParams>('/api/orgs/:orgId', async (request, reply) => {
    const user = await userOf(request);
    const body = updateOrgSchema.safeParse(request.body ?? {});
    const { role } = await access.requireOrg(user, request.params.orgId, 'org:update');
    if (!body.success) return reply.status(400).send(validationError(body.error));
    if (body.data.monthly_event_limit !== undefined) await access.requireOrg(user, request.params.orgId, 'limits:manage');
    return (await orgs.update(request.params.orgId, body.data, role!))!;
  });

  app.delete<OrgParams>('/api/orgs/:orgId', async (request, reply) => {
    const user = await userOf(request);
    await access.requireOrg(user, request.params.orgId, 'org:delete');
    const siteIds = await orgs.delete(request.params.orgId);
    for (const id of siteIds) deps.registry.invalidate(id);
    await deps.sites.purgeEvents(siteIds);
    return reply.status(204).send();
  });

  // --- Members ---
  app.get<OrgParams>('/api/orgs/:orgId/members', async (request) => {
    const user = await userOf(request);
    await access.requireOrg(user, request.params.orgId, 'stats:read');
    return { members: await orgs.members(request.params.orgId) };
  });

  app.patch<{ Params: { orgId: string; memberId: string } }>('/api/orgs/:orgId/members/:memberId', async (request, reply) => {
    const user = await userOf(request);
    const { role: actor } = await access.requireOrg(user, request.params.orgId, 'members:manage');
    const target = await orgs.member(request.params.orgId, request.params.memberId);
    if (!target) throw new AccessError(404, 'no such member in this organisation');
    const body = memberRoleSchema.safeParse(request.body ?? {});
    if (!body.success) return reply.status(400).send(validationError(body.error));
    if (!mayAssignRole(actor!, target.role, body.data.role)) throw new AccessError(403, `your role (${actor}) may not make someone ${body.data.role} or change an owner`);
    return orgs.setRole(request.params.orgId, target, body.data.role);
  });

  app.delete<{ Params: { orgId: string; memberId: string } }>('/api/orgs/:orgId/members/:memberId', async (request, reply) => {
    const user = await userOf(request);
    const role = await access.roleOf(user.userId, request.params.orgId);
    if (!role) throw new AccessError(404, 'no such organisation');
    const target = await orgs.member(request.params.orgId, request.params.memberId);
    if (!target) throw new AccessError(404, 'no such member in this organisation');
    // Anyone may leave; removing others takes members:manage, and only an owner removes an owner.
    if (target.user_id !== user.userId) {
      await access.requireOrg(user, request.params.orgId, 'members:manage');
      if (!mayAssignRole(role, target.role, 'viewer')) throw new AccessError(403, `your role (${role}) may not remove an owner`);
    }
    await orgs.removeMember(request.params.orgId, target);
    return reply.status(204).send();
  });

  // --- Invitations (admin side) ---
  app.get<OrgParams>('/api/orgs/:orgId/invitations', async (request) => {
    const user = await userOf(request);
    await access.requireOrg(user, request.params.orgId, 'members:manage');
    return { invitations: await invitations.list(request.params.orgId) };
  });

  app.post<OrgParams>('/api/orgs/:orgId/invitations', async (request, reply) => {
    const user = await userOf(request);
    const { role: actor } = await access.requireOrg(user, request.params.orgId, 'members:manage');
    const body = createInvitationSchema.safeParse(request.body ?? {});
    if (!body.success) return reply.status(400).send(validationError(body.error));
    if (!mayAssignRole(actor!, undefined, body.data.role)) throw new AccessError(403, `your role (${actor}) may not invite an owner`);
    return reply.status(201).send(await invitations.create(request.params.orgId, { id: user.userId, name: user.name, email: user.email }, body.data, appUrl(request)));
  });

  app.delete<{ Params: { orgId: string; invitationId: string } }>('/api/orgs/:orgId/invitations/:invitationId', async (request) => {
    const user = await userOf(request);
    await access.requireOrg(user, request.params.orgId, 'members:manage');
    return invitations.revoke(request.params.orgId, request.params.invitationId);
  });

  // --- Invitations (invitee side) ---
  app.get<{ Params: { id: string } }>('/api/invitations/:id', async (request) => {
    const user = await userOf(request);
    return invitations.forInvitee(request.params.id, user.email);
  });

  for (const answer of ['accept', 'decline'] as const) {
    app.post<{ Params: { id: string } }>(`/api/invitations/:id/${answer}`, async (request) => {
      const user = await userOf(request);
      return invitations.respond(request.params.id, { id: user.userId, email: user.email }, answer);
    });
  }

  // --- API keys ---
  app.get<OrgParams>('/api/orgs/:orgId/api-keys', async (request) => {
    const user = await userOf(request);
    await access.requireOrg(user, request.params.orgId, 'keys:manage');
    return { api_keys: await keys.list(request.params.orgId) };
  });

  app.post<OrgParams>('/api/orgs/:orgId/api-keys', async (request, reply) => {
    const user = await userOf(request);
    await access.requireOrg(user, request.params.orgId, 'keys:manage');
    const body = createKeySchema.safeParse(request.body ?? {});
    if (!body.success) return reply.status(400).send(validationError(body.error));
    try {
      const { key, apiKey } = await keys.create(request.params.orgId, user.userId, body.data);
      return reply.status(201).send({ ...apiKey, key });
    } catch (err) {
      if (err instanceof ApiKeyError) return reply.status(400).send({ error: err.message });
      throw err;
    }
  });

  app.delete<{ Params: { orgId: string; keyId: string } }>('/api/orgs/:orgId/api-keys/:keyId', async (request) => {
    const user = await userOf(request);
    await access.requireOrg(user, request.params.orgId, 'keys:manage');
    const revoked = await keys.revoke(request.params.orgId, request.params.keyId);
    if (!revoked) throw new AccessError(404, 'no such API key in this organisation');
    return revoked;
  });
}
