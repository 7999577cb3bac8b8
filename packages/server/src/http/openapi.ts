// GET /api/docs: the OpenAPI 3.1 description of the public HTTP API, built from the same zod schemas the routes use.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { METRIC_NAMES } from '../analytics/index.js';
import { trackPayloadSchema } from '../ingest/payload.js';
import { createSiteSchema, updateSiteSchema } from '../sites/sites.js';

const error = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] };
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), { description: 'error', ...json(error) }]));

const dimensions = [
  'time', 'time:minute', 'time:hour', 'time:day', 'time:week', 'time:month', 'page', 'entry_page', 'exit_page', 'hostname', 'source', 'referrer', 'channel',
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'country', 'region', 'city', 'browser', 'browser_version', 'os', 'os_version',
  'device', 'screen', 'language', 'event', 'event:props:<key>',
];

export function openApiDocument(): Record<string, unknown> {
  const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
  const queryRequest = {
    type: 'object',
    required: ['site_id', 'metrics'],
    properties: {
      site_id: { type: 'integer' },
      date_range: {
        oneOf: [
          { type: 'string', enum: ['realtime', 'day', 'yesterday', '7d', '30d', 'month', 'last_month', '12mo', 'year', 'all'] },
          { type: 'array', items: { type: 'string', format: 'date' }, minItems: 2, maxItems: 2 },
        ],
        default: '30d',
      },
      metrics: { type: 'array', items: { type: 'string', enum: METRIC_NAMES } },
      dimensions: { type: 'array', items: { type: 'string' }, maxItems: 3, description: `one of: ${dimensions.join(', ')}` },
      filters: { description: '[op, dimension, [values]] with op is|is_not|contains|contains_not|matches|matches_not, or ["and"|"or", [...]], ["not", filter], or a list (all must hold)' },
      order_by: { type: 'array', items: { type: 'array', prefixItems: [{ type: 'string' }, { enum: ['asc', 'desc'] }] } },
      limit: { type: 'integer', minimum: 1, maximum: 10000 },
      offset: { type: 'integer', minimum: 0 },
      compare: { enum: ['previous_period', 'year_over_year'] },
    },
  };
  const queryResponse = {
    type: 'object',
    properties: {
      results: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            dimensions: { type: 'array', items: { type: ['string', 'number'] } },
            metrics: { type: 'array', items: { type: 'number' } },
            comparison: { type: 'object', properties: { metrics: { type: 'array', items: { type: 'number' } }, change: { type: 'array', items: { type: ['number', 'null'] } } } },
          },
        },
      },
      query: { type: 'object' },
      meta: { type: 'object', properties: { warnings: { type: 'array', items: { type: 'string' } }, total_rows: { type: 'integer' } } },
    },
  };
  const siteId = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }];
  return {
    openapi: '3.1.0',
    info: { title: 'Eesee Metrics API', version: '0.1.0', description: 'Cookieless web analytics. Metric definitions: packages/server/src/analytics/METRICS.md.' },
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' } } },
    security: [{ session: [] }],
    paths: {
      '/api/track': {
        post: {
          summary: 'Record a pageview or event (sent by the tracker as text/plain JSON)',
          security: [],
          requestBody: { content: { 'text/plain': { schema: schema(trackPayloadSchema) }, 'application/json': { schema: schema(trackPayloadSchema) } } },
          responses: { '202': { description: 'accepted (or ignored by a site rule)' }, ...errors(400, 403, 404, 413, 415, 429) },
        },
      },
      '/api/v1/query': {
        post: { summary: 'Stats API: metrics by dimensions over a date range', requestBody: json(queryRequest), responses: { '200': { description: 'rows', ...json(queryResponse) }, ...errors(400, 401, 404) } },
      },
      '/api/sites': {
        get: { summary: 'Your sites', responses: { '200': { description: 'sites' }, ...errors(401) } },
        post: { summary: 'Create a site', requestBody: json(schema(createSiteSchema)), responses: { '201': { description: 'the site; its id goes into data-site-id' }, ...errors(400, 401) } },
      },
      '/api/sites/{id}': {
        get: { summary: 'One site', parameters: siteId, responses: { '200': { description: 'the site' }, ...errors(400, 401, 404) } },
        patch: { summary: 'Change a site', parameters: siteId, requestBody: json(schema(updateSiteSchema)), responses: { '200': { description: 'the site' }, ...errors(400, 401, 404) } },
        delete: { summary: 'Delete a site and its events', parameters: siteId, responses: { '204': { description: 'deleted' }, ...errors(401, 404) } },
      },
      '/api/sites/{id}/realtime': { get: { summary: 'Visitors in the last 5 minutes', parameters: siteId, responses: { '200': { description: '{visitors}' }, ...errors(401, 404) } } },
      '/api/sites/{id}/live': {
        get: { summary: 'Server-sent events: "visitors" every 5 s, "pageview"/"event" as they arrive', parameters: siteId, responses: { '200': { description: 'text/event-stream' }, ...errors(401, 404) } },
      },
    },
  };
}

export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  const doc = openApiDocument();
  app.get('/api/docs', async () => doc);
}
