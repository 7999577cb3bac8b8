// POST /api/track: CORS for any origin without credentials, a 64 KB body, validation, then the ingestion pipeline.
import type { FastifyInstance } from 'fastify';
import { describeIssues, trackPayloadSchema } from '../ingest/payload.js';
import type { TrackPipeline } from '../ingest/track-pipeline.js';

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'Content-Type',
  'access-control-max-age': '86400',
};

export const TRACK_BODY_LIMIT = 64 * 1024;

export async function trackRoutes(app: FastifyInstance, opts: { pipeline: TrackPipeline }): Promise<void> {
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
    const outcome = await opts.pipeline.ingest(parsed.data, {
      ip: request.ip,
      userAgent: String(request.headers['user-agent'] ?? ''),
      headers: request.headers,
      now: Date.now(),
    });
    return reply.status(outcome.status).send(outcome.body);
  });
}
