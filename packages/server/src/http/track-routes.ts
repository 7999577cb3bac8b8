// POST /api/track: CORS for any origin without credentials, a 64 KB body, validation, then the ingestion pipeline.
import type { FastifyInstance } from 'fastify';
import { describeIssues, trackPayloadSchema } from '../ingest/payload.js';
import type { TrackContext, TrackPipeline } from '../ingest/track-pipeline.js';
import type { ApiKeys } from '../auth/api-keys.js';

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'Content-Type',
  'access-control-max-age': '86400',
};

export const TRACK_BODY_LIMIT = 64 * 1024;

export async function trackRoutes(app: FastifyInstance, opts: { pipeline: TrackPipeline; keys: ApiKeys }): Promise<void> {
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/track')) reply.headers(CORS_HEADERS);
  });

  app.options('/api/track', async (_request, reply) => reply.status(204).send());

  app.post('/api/track', { bodyLimit: TRACK_BODY_LIMIT }, async (request, reply) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return reply.status(400).send({ error: 'body must be a JSON object' });
    }
    const parsed = trackPayloadSchema.safeParse(body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      return reply.status(400).send({ error: details.join('; '), details });
    }
    let ctx: TrackContext = { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? ''), headers: request.headers, now: Date.now() };
    // Server-to-server tracking: an ingest key lets the sender speak for its visitor (address and browser).
    const authz = request.headers.authorization;
    if (authz !== undefined) {
      const secret = /^Bearer\s+(\S+)\s*$/i.exec(authz)?.[1];
      const key = secret ? await opts.keys.verify(secret) : undefined;
      if (!key) return reply.status(401).send({ error: 'authorization: the API key is unknown, revoked or expired' });
      if (!key.scopes.includes('ingest')) return reply.status(403).send({ error: 'authorization: this API key has no ingest scope' });
      const { ip, user_agent: userAgent } = parsed.data;
      ctx = {
        ip: ip ?? ctx.ip,
        userAgent: userAgent ?? ctx.userAgent,
        // The sending server's own headers say nothing about the visitor.
        headers: {},
        now: ctx.now,
        sender: { organizationId: key.organizationId, siteIds: key.siteIds },
      };
    }
    const outcome = await opts.pipeline.ingest(parsed.data, ctx);
    return reply.status(outcome.status).send(outcome.body);
  });
}
