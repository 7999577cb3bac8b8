// Mounts Better Auth's standard routes under /api/auth/* and gives other routes the signed-in user.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT_IP_HEADER, type Auth } from '../auth/auth.js';
import type { LoginLockout } from '../auth/login-lockout.js';

export function toFetchHeaders(request: FastifyRequest): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, String(v));
  }
  headers.set(CLIENT_IP_HEADER, request.ip);
  return headers;
}

/** Better Auth routes we do not pass on: list-sessions answers with the session tokens themselves. */
const BLOCKED = new Map([['/api/auth/list-sessions', 'use GET /api/account/sessions (it lists logins without their secrets)']]);

/**
 * Better Auth's answers, made safe and uniform: the session token never reaches page scripts (it lives in an HttpOnly
 * cookie; get-session and sign-in would otherwise echo it), and errors carry {"error": …} like the rest of the API.
 */
function cleanBody(text: string, status: number, contentType: string | null): string | null {
  let body: unknown;
  try {
    body = text && contentType?.includes('json') ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const o = body as Record<string, unknown>;
    delete o.token;
    if (o.session && typeof o.session === 'object') delete (o.session as Record<string, unknown>).token;
    if (status >= 400 && typeof o.error !== 'string') o.error = typeof o.message === 'string' && o.message ? o.message : `auth request failed (${status})`;
    return JSON.stringify(o);
  }
  if (status >= 400) return JSON.stringify({ error: status === 404 ? 'no such auth route' : `auth request failed (${status})` });
  return text || null;
}

export async function authRoutes(app: FastifyInstance, opts: { auth: Auth; baseUrl?: string; lockout: LoginLockout }): Promise<void> {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    handler: async (request, reply) => {
      const pathname = request.url.split('?')[0]!;
      const blocked = BLOCKED.get(pathname);
      if (blocked) return reply.status(404).send({ error: blocked });
      const signInEmail = pathname === '/api/auth/sign-in/email' && typeof (request.body as { email?: unknown } | undefined)?.email === 'string' ? (request.body as { email: string }).email : undefined;
      if (signInEmail !== undefined) {
        const wait = opts.lockout.lockedFor(signInEmail);
        if (wait > 0) {
          return reply
            .status(429)
            .header('retry-after', String(Math.ceil(wait / 1000)))
            .send({ error: `too many failed sign-ins for this account; try again in ${Math.ceil(wait / 60_000)} minutes or reset the password` });
        }
      }
      const url = new URL(request.url, opts.baseUrl ?? `${request.protocol}://${request.host}`);
      const init: RequestInit = { method: request.method, headers: toFetchHeaders(request) };
      if (request.method !== 'GET' && request.body !== undefined) init.body = JSON.stringify(request.body);
      const response = await opts.auth.handler(new Request(url, init));
      if (signInEmail !== undefined) {
        if (response.status === 401) opts.lockout.recordFailure(signInEmail);
        else if (response.ok) opts.lockout.recordSuccess(signInEmail);
      }
      reply.status(response.status);
      response.headers.forEach((value, key) => {
        // The body may be rewritten below (cleanBody): its length is Fastify's to set.
        if (key !== 'set-cookie' && key !== 'content-length') reply.header(key, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) reply.header('set-cookie', cookies);
      const body = cleanBody(await response.text(), response.status, response.headers.get('content-type'));
      if (body !== null && response.status >= 400) reply.header('content-type', 'application/json; charset=utf-8');
      return reply.send(body);
    },
  });
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

/** The signed-in user of a request, or a 401 sent and undefined returned. */
export async function requireUser(auth: Auth, request: FastifyRequest, reply: FastifyReply): Promise<SignedInUser | undefined> {
  const session = await auth.api.getSession({ headers: toFetchHeaders(request) });
  if (!session) {
    await reply.status(401).send({ error: 'sign in first: no valid session cookie' });
    return undefined;
  }
  return { id: session.user.id, email: session.user.email, name: session.user.name };
}
