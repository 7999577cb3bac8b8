// CSRF guard: a cookie-authenticated request that changes something must come from our own origin.
import type { FastifyInstance } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Better Auth checks its own routes; the tracker endpoints never use cookies. */
const EXEMPT_PREFIXES = ['/api/auth/', '/api/track'];

export function registerSameOriginCheck(app: FastifyInstance, baseUrl?: string): void {
  const configuredOrigin = baseUrl ? new URL(baseUrl).origin : undefined;
  app.addHook('onRequest', async (request, reply) => {
    if (SAFE_METHODS.has(request.method) || !request.headers.cookie) return;
    if (EXEMPT_PREFIXES.some((p) => request.url.startsWith(p))) return;
    const expected = configuredOrigin ?? `${request.protocol}://${request.host}`;
    const origin = request.headers.origin ?? refererOrigin(request.headers.referer);
    if (origin !== expected) {
      return reply.status(403).send({ error: `cross-origin request refused: expected Origin ${expected}, got ${origin ?? 'none'}` });
    }
  });
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
