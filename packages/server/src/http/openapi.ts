// GET /api/docs: the OpenAPI 3.1 description of the public HTTP API, built from the same zod schemas the routes use.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { METRIC_NAMES } from '../analytics/index.js';
import { trackPayloadSchema } from '../ingest/payload.js';
import { createSiteSchema, updateSiteSchema } from '../sites/sites.js';
import { createKeySchema } from '../auth/api-keys.js';
import { createInvitationSchema } from '../orgs/invitations.js';
import { createOrgSchema, memberRoleSchema, updateOrgSchema } from '../orgs/organizations.js';
import { createShareSchema } from '../sharing/share-links.js';

const error = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] };
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), { description: 'error', ...json(error) }]));

const dimensions = [
  'time', 'time:minute', 'time:hour', 'time:day', 'time:week', 'time:month', 'page', 'entry_page', 'exit_page', 'hostname', 'source', 'referrer', 'channel',
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'country', 'region', 'city', 'browser', 'browser_version', 'os', 'os_version',
  'device', 'screen', 'language', 'event', 'event:props:<key>', 'event:props',
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
  const param = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
  const ok = (what: string, ...codes: number[]) => ({ '200': { description: what }, ...errors(...codes) });
  return {
    openapi: '3.1.0',
    info: { title: 'Eesee Metrics API', version: '0.1.0', description: 'Cookieless web analytics. Metric definitions: packages/server/src/analytics/METRICS.md.' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (eesee_…) of the organisation; scopes stats:read, ingest, admin' },
        share: { type: 'apiKey', in: 'header', name: 'x-eesee-share', description: 'A share link token or "public:<site id>" (read-only, one site); x-eesee-share-grant carries the grant of a password' },
      },
    },
    security: [{ session: [] }, { apiKey: [] }, { share: [] }],
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
        post: { summary: 'Stats API: metrics by dimensions over a date range', requestBody: json(queryRequest), responses: { '200': { description: 'rows', ...json(queryResponse) }, ...errors(400, 401, 403, 404, 413, 415, 429) } },
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
      '/api/sites/{id}/shares': {
        get: { summary: 'Share links of a site (never their tokens)', parameters: siteId, responses: ok('shares', 401, 403, 404) },
        post: { summary: 'Create a share link {name, password?, show_replays?, show_user_ids?, show_errors?}; the url is shown once', parameters: siteId, requestBody: json(schema(createShareSchema)), responses: { '201': { description: 'the link with token and url' }, ...errors(400, 401, 403, 404) } },
      },
      '/api/sites/{id}/shares/{shareId}': { delete: { summary: 'Revoke a share link', parameters: [...siteId, param('shareId')], responses: ok('the revoked link', 401, 403, 404) } },
      '/api/share/{token}': { get: { summary: 'What a share link opens: the site and whether a password is needed', security: [], parameters: [param('token')], responses: ok('{site, password_required}', 404) } },
      '/api/share/{token}/unlock': { post: { summary: 'Password of a share link → {grant} for x-eesee-share-grant', security: [], parameters: [param('token')], responses: ok('{grant, expires_at}', 400, 401, 404, 429) } },
      '/api/public/{siteId}': { get: { summary: 'A public dashboard’s site, when it is public', security: [], parameters: [param('siteId')], responses: ok('{site}', 404) } },
      '/api/orgs': {
        get: { summary: 'Your organisations with your role in each', responses: ok('organizations', 401, 403) },
        post: { summary: 'Create an organisation {name}; you own it', requestBody: json(schema(createOrgSchema)), responses: { '201': { description: 'the organisation' }, ...errors(400, 401, 403) } },
      },
      '/api/orgs/{orgId}': {
        get: { summary: 'One organisation', parameters: [param('orgId')], responses: ok('the organisation', 401, 403, 404) },
        patch: { summary: 'Rename; monthly_event_limit (owner only)', parameters: [param('orgId')], requestBody: json(schema(updateOrgSchema)), responses: ok('the organisation', 400, 401, 403, 404) },
        delete: { summary: 'Delete the organisation with its sites and events (owner)', parameters: [param('orgId')], responses: { '204': { description: 'deleted' }, ...errors(401, 403, 404) } },
      },
      '/api/orgs/{orgId}/members': { get: { summary: 'Members and roles', parameters: [param('orgId')], responses: ok('members', 401, 403, 404) } },
      '/api/orgs/{orgId}/members/{memberId}': {
        patch: { summary: 'Change a role {role}', parameters: [param('orgId'), param('memberId')], requestBody: json(schema(memberRoleSchema)), responses: ok('the member', 400, 401, 403, 404, 409) },
        delete: { summary: 'Remove a member, or leave', parameters: [param('orgId'), param('memberId')], responses: { '204': { description: 'removed' }, ...errors(401, 403, 404, 409) } },
      },
      '/api/orgs/{orgId}/invitations': {
        get: { summary: 'Invitations', parameters: [param('orgId')], responses: ok('invitations', 401, 403, 404) },
        post: { summary: 'Invite by e-mail {email, role}', parameters: [param('orgId')], requestBody: json(schema(createInvitationSchema)), responses: { '201': { description: 'the invitation' }, ...errors(400, 401, 403, 404, 409, 502) } },
      },
      '/api/orgs/{orgId}/invitations/{invitationId}': { delete: { summary: 'Revoke an invitation', parameters: [param('orgId'), param('invitationId')], responses: ok('the invitation', 401, 403, 404, 409) } },
      '/api/invitations/{id}': { get: { summary: 'An invitation to you', parameters: [param('id')], responses: ok('the invitation', 401, 403, 404) } },
      '/api/invitations/{id}/accept': { post: { summary: 'Accept an invitation to you', parameters: [param('id')], responses: ok('the invitation', 401, 403, 404, 409, 410) } },
      '/api/invitations/{id}/decline': { post: { summary: 'Decline an invitation to you', parameters: [param('id')], responses: ok('the invitation', 401, 403, 404, 409, 410) } },
      '/api/orgs/{orgId}/api-keys': {
        get: { summary: 'API keys (never the secret or its hash)', parameters: [param('orgId')], responses: ok('api_keys', 401, 403, 404) },
        post: { summary: 'Create a key {name, scopes, site_ids?, expires_at?}; the key is shown once', parameters: [param('orgId')], requestBody: json(schema(createKeySchema)), responses: { '201': { description: 'the key with its secret' }, ...errors(400, 401, 403, 404) } },
      },
      '/api/orgs/{orgId}/api-keys/{keyId}': { delete: { summary: 'Revoke a key', parameters: [param('orgId'), param('keyId')], responses: ok('the key', 401, 403, 404) } },
      '/api/account': { get: { summary: 'Your account and the organisations deleting it would delete', responses: ok('account', 401, 403) } },
      '/api/account/sessions': { get: { summary: 'Your logins (without tokens)', responses: ok('sessions', 401, 403) } },
      '/api/account/sessions/{id}': { delete: { summary: 'End one of your logins', parameters: [param('id')], responses: { '204': { description: 'ended' }, ...errors(401, 403, 404) } } },
    },
  };
}

export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  const doc = openApiDocument();
  app.get('/api/docs', async () => doc);
}
