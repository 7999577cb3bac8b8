// /api/account: the signed-in person's account (what deleting it would take with it) and their logins (without tokens).
import { and, desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { AccessError, type Access } from '../auth/access.js';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { session } from '../stores/meta/schema.js';
import type { Organizations } from '../orgs/organizations.js';
import type { Auth } from '../auth/auth.js';
import { toFetchHeaders } from './auth-routes.js';

export async function accountRoutes(app: FastifyInstance, deps: { access: Access; auth: Auth; orgs: Organizations; db: MetaDb }): Promise<void> {
  const { access, orgs, db } = deps;

  app.get('/api/account', async (request) => {
    const user = await access.user(toFetchHeaders(request));
    return { id: user.userId, email: user.email, name: user.name, deletes_organizations: await orgs.soleOwnedBy(user.userId) };
  });

  app.get('/api/account/sessions', async (request) => {
    const headers = toFetchHeaders(request);
    const user = await access.user(headers);
    const current = await deps.auth.api.getSession({ headers });
    const rows = await db.select().from(session).where(eq(session.userId, user.userId)).orderBy(desc(session.updatedAt));
    return {
      sessions: rows
        .filter((r) => r.expiresAt.getTime() > Date.now())
        .map((r) => ({
          id: r.id,
          created_at: r.createdAt.toISOString(),
          last_active_at: r.updatedAt.toISOString(),
          expires_at: r.expiresAt.toISOString(),
          ip_address: r.ipAddress,
          user_agent: r.userAgent,
          current: r.id === current?.session.id,
        })),
    };
  });

  app.delete<{ Params: { id: string } }>('/api/account/sessions/:id', async (request, reply) => {
    const user = await access.user(toFetchHeaders(request));
    if (!/^[0-9a-f-]{36}$/.test(request.params.id)) throw new AccessError(404, 'no such login of yours');
    const deleted = await db
      .delete(session)
      .where(and(eq(session.id, request.params.id), eq(session.userId, user.userId)))
      .returning({ id: session.id });
    if (deleted.length === 0) throw new AccessError(404, 'no such login of yours');
    return reply.status(204).send();
  });
}
