// The PostgreSQL schema of the metadata store (users, organisations, sites, salts, sessions), for Drizzle.
import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// --- Better Auth core tables (field names as Better Auth expects them) ---
export const user = pgTable('user', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const session = pgTable(
  'session',
  {
    id: text('id').primaryKey(),
    expiresAt: ts('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
    activeOrganizationId: text('active_organization_id'),
  },
  (t) => [index('session_user_idx').on(t.userId)],
);

export const account = pgTable(
  'account',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: ts('access_token_expires_at'),
    refreshTokenExpiresAt: ts('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('account_user_idx').on(t.userId)],
);

export const verification = pgTable('verification', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

// --- Organisations (shaped like Better Auth's organization plugin, which a later change enables) ---
export const organization = pgTable('organization', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  logo: text('logo'),
  metadata: text('metadata'),
  /** Monthly event limit for the whole organisation; null = unlimited. */
  monthlyEventLimit: bigint('monthly_event_limit', { mode: 'number' }),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const member = pgTable(
  'member',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull().references(() => organization.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
    role: text('role').notNull().default('member'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('member_org_user_idx').on(t.organizationId, t.userId), index('member_user_idx').on(t.userId)],
);

export const invitation = pgTable('invitation', {
  id: text('id').primaryKey(),
  organizationId: text('organization_id').notNull().references(() => organization.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  role: text('role'),
  teamId: text('team_id'),
  status: text('status').notNull().default('pending'),
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  inviterId: text('inviter_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
});

// --- API keys: per organisation, scoped, optionally limited to sites; only a hash of the secret is kept ---
export const apiKey = pgTable(
  'api_key',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull().references(() => organization.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the key, shown in lists so people can tell keys apart. */
    start: text('start').notNull(),
    /** SHA-256 of the whole key, hex. */
    keyHash: text('key_hash').notNull().unique(),
    scopes: jsonb('scopes').$type<string[]>().notNull(),
    /** null: every site of the organisation. */
    siteIds: jsonb('site_ids').$type<number[] | null>(),
    expiresAt: ts('expires_at'),
    lastUsedAt: ts('last_used_at'),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('api_key_org_idx').on(t.organizationId)],
);

// --- Share links: read-only views of one site's dashboard; only a hash of the token (and of the password) is kept ---
export const shareLink = pgTable(
  'share_link',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id').notNull().references(() => site.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** SHA-256 of the token in the link, hex. */
    tokenHash: text('token_hash').notNull().unique(),
    /** scrypt hash ("scrypt$salt$hash"), or null for links without a password. */
    passwordHash: text('password_hash'),
    showReplays: boolean('show_replays').notNull().default(false),
    showUserIds: boolean('show_user_ids').notNull().default(false),
    showErrors: boolean('show_errors').notNull().default(false),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('share_link_site_idx').on(t.siteId)],
);

// --- Instance-wide settings (e.g. which account owns the instance) ---
export const instanceSetting = pgTable('instance_setting', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

// --- Sites ---
export const site = pgTable(
  'site',
  {
    id: serial('id').primaryKey(),
    organizationId: text('organization_id').notNull().references(() => organization.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    domain: text('domain').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    /** Per-site ingestion rules; see SiteSettings in sites/site-settings.ts. */
    settings: jsonb('settings').notNull().default(sql`'{}'::jsonb`),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('site_org_idx').on(t.organizationId)],
);

// --- Deleted sites whose data is to be purged from the events store: written with the deletion, removed by a purge at
// least ten minutes later (sites/sites.ts), so the hourly job retries a failed purge and sweeps late events ---
export const sitePurge = pgTable('site_purge', {
  siteId: integer('site_id').primaryKey(),
  requestedAt: ts('requested_at').notNull().defaultNow(),
});

// --- Identity: one random salt per UTC day; yesterday's is kept for sessions crossing midnight ---
export const dailySalt = pgTable('daily_salt', {
  day: date('day', { mode: 'string' }).primaryKey(),
  salt: bytea('salt').notNull(),
});

// --- Active sessions, written behind from the in-process cache so a restart does not split sessions ---
export const activeSession = pgTable(
  'active_session',
  {
    siteId: integer('site_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    sessionId: text('session_id').notNull(),
    startedAt: ts('started_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    /** The visit's entry attributes (source, channel, utm, geo, device...), stamped on each of its events. */
    entry: jsonb('entry').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.visitorId] }), index('active_session_last_seen_idx').on(t.lastSeenAt)],
);
