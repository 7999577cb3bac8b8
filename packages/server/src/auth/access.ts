// Access checks, in one place: who is calling (session cookie or API key) and whether they may do something to an
// organisation or a site. Anything the caller may not see answers 404, so ids of others cannot be probed.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { member, organization, site } from '../stores/meta/schema.js';
import type { RateLimiter } from '../ingest/rate-limit.js';
import type { ApiKeys, VerifiedKey } from './api-keys.js';
import type { Auth } from './auth.js';
import type { ShareLinks, ShareView } from '../sharing/share-links.js';
import { isRole, roleCan, scopesCan, type Permission, type Role } from './roles.js';

export type Caller =
  | { kind: 'user'; userId: string; email: string; name: string }
  | ({ kind: 'key' } & VerifiedKey)
  /** A shared or public dashboard: one site, read-only. */
  | ({ kind: 'share' } & ShareView);

/** Headers a shared view sends: the link's token (or "public:<site id>"), and the grant earned with its password. */
export const SHARE_HEADER = 'x-eesee-share';
export const SHARE_GRANT_HEADER = 'x-eesee-share-grant';

/** A refusal with its HTTP status; the error handler turns it into {"error": message}. */
export class AccessError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 429,
    message: string,
  ) {
    super(message);
    this.name = 'AccessError';
  }
}

type SiteRow = typeof site.$inferSelect;

const PERMISSION_TEXT: Record<Permission, string> = {
  'stats:read': 'view statistics',
  'replays:view': 'view replays',
  'sites:create': 'add sites',
  'sites:update': 'change sites',
  'shares:manage': 'manage sharing',
  'data:delete': 'delete sites or data',
  'members:manage': 'manage members and invitations',
  'keys:manage': 'manage API keys',
  'org:update': 'change the organisation',
  'limits:manage': 'change usage limits',
  'org:delete': 'delete the organisation',
};

const SITE_ID = /^\d{1,9}$/;
/** Organisation ids are UUIDs; anything else cannot be one and never reaches SQL. */
const ORG_ID = /^[A-Za-z0-9-]{1,64}$/;

/** A site id from a path or body; a 400 naming `field` when it cannot be one. */
export function parseSiteId(raw: unknown, field = 'site id'): number {
  const id = typeof raw === 'number' ? raw : typeof raw === 'string' && SITE_ID.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) throw new AccessError(400, `${field}: must be the number of one of your sites`);
  return id;
}

export class Access {
  constructor(
    private readonly db: MetaDb,
    private readonly auth: Auth,
    private readonly keys: ApiKeys,
    private readonly keyLimiter: RateLimiter,
    private readonly shares: ShareLinks,
  ) {}

  /**
   * The caller of a request: an `Authorization: Bearer` API key, else the session cookie. A key that is wrong,
   * revoked or expired is a 401 (never a fall-back to the cookie); a key over its rate limit a 429.
   */
  async caller(headers: Headers): Promise<Caller> {
    const authz = headers.get('authorization');
    if (authz !== null) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
      if (!m) throw new AccessError(401, 'authorization: use "Bearer <API key>"');
      const key = await this.keys.verify(m[1]!);
      if (!key) throw new AccessError(401, 'authorization: the API key is unknown, revoked or expired');
      if (!(await this.keyLimiter.take(`key:${key.id}`, Date.now()))) throw new AccessError(429, 'too many requests for this API key; slow down and retry in a few seconds');
      return { kind: 'key', ...key };
    }
    const share = headers.get(SHARE_HEADER);
    if (share !== null) return { kind: 'share', ...(await this.shareView(share, headers.get(SHARE_GRANT_HEADER) ?? undefined)) };
    const session = await this.auth.api.getSession({ headers });
    if (!session) throw new AccessError(401, 'sign in first: no valid session cookie');
    return { kind: 'user', userId: session.user.id, email: session.user.email, name: session.user.name };
  }

  private async shareView(value: string, grant: string | undefined): Promise<ShareView> {
    const publicSite = /^public:(\d{1,9})$/.exec(value);
    if (publicSite) {
      const view = await this.shares.publicView(Number(publicSite[1]));
      if (!view) throw new AccessError(404, 'this dashboard is not public');
      return view;
    }
    const resolved = await this.shares.resolve(value, grant);
    if (!resolved) throw new AccessError(401, 'this share link is unknown or was revoked');
    if ('passwordRequired' in resolved) throw new AccessError(401, 'this share link needs its password');
    return resolved.view;
  }

  /** A signed-in person (routes about one's own account or invitations refuse API keys). */
  async user(headers: Headers): Promise<Extract<Caller, { kind: 'user' }>> {
    const caller = await this.caller(headers);
    if (caller.kind !== 'user') throw new AccessError(403, `this route needs a signed-in user, not ${caller.kind === 'key' ? 'an API key' : 'a shared view'}`);
    return caller;
  }

  async roleOf(userId: string, orgId: string): Promise<Role | undefined> {
    if (!ORG_ID.test(orgId)) return undefined;
    const [row] = await this.db
      .select({ role: member.role })
      .from(member)
      .where(and(eq(member.organizationId, orgId), eq(member.userId, userId)));
    return row && isRole(row.role) ? row.role : undefined;
  }

  /** May the caller do this in the organisation? 404 when the organisation is not theirs at all, 403 when the role falls short. */
  async requireOrg(caller: Caller, orgId: string, permission: Permission): Promise<{ role: Role | undefined }> {
    if (caller.kind === 'share') throw new AccessError(403, 'a shared view is read-only');
    if (caller.kind === 'key') {
      if (caller.organizationId !== orgId) throw new AccessError(404, 'no such organisation');
      if (!scopesCan(caller.scopes, permission)) throw new AccessError(403, `this API key's scopes (${caller.scopes.join(', ')}) do not allow it to ${PERMISSION_TEXT[permission]}`);
      return { role: undefined };
    }
    const role = typeof orgId === 'string' ? await this.roleOf(caller.userId, orgId) : undefined;
    if (!role) throw new AccessError(404, 'no such organisation');
    if (!roleCan(role, permission)) throw new AccessError(403, `your role (${role}) may not ${PERMISSION_TEXT[permission]}`);
    return { role };
  }

  /** The site when the caller may do this to it; 404 when they may not see it at all, 403 when they may see but not do. */
  async requireSite(caller: Caller, rawSiteId: unknown, permission: Permission): Promise<SiteRow> {
    const siteId = parseSiteId(rawSiteId);
    const [row] = await this.db.select().from(site).where(eq(site.id, siteId));
    const notFound = new AccessError(404, `no site with id ${siteId} in your organisations`);
    if (!row) throw notFound;
    if (caller.kind === 'share') {
      if (caller.siteId !== row.id) throw notFound;
      const allowed = permission === 'stats:read' || (permission === 'replays:view' && caller.showReplays);
      if (!allowed) throw new AccessError(403, 'a shared view is read-only');
      return row;
    }
    if (caller.kind === 'key') {
      if (caller.organizationId !== row.organizationId || (caller.siteIds && !caller.siteIds.includes(row.id))) throw notFound;
      if (!scopesCan(caller.scopes, 'stats:read') && !scopesCan(caller.scopes, permission)) throw notFound;
      if (!scopesCan(caller.scopes, permission)) throw new AccessError(403, `this API key's scopes (${caller.scopes.join(', ')}) do not allow it to ${PERMISSION_TEXT[permission]}`);
      return row;
    }
    const role = await this.roleOf(caller.userId, row.organizationId);
    if (!role) throw notFound;
    if (!roleCan(role, permission)) throw new AccessError(403, `your role (${role}) may not ${PERMISSION_TEXT[permission]}`);
    return row;
  }

  /** The organisations whose sites the caller sees, oldest membership first. */
  async visibleOrgIds(caller: Caller): Promise<string[]> {
    if (caller.kind === 'share') return [];
    if (caller.kind === 'key') return scopesCan(caller.scopes, 'stats:read') ? [caller.organizationId] : [];
    const rows = await this.db.select({ id: member.organizationId }).from(member).where(eq(member.userId, caller.userId)).orderBy(asc(member.createdAt));
    return rows.map((r) => r.id);
  }

  /** The sites the caller sees (a site-restricted key sees only its sites). */
  async visibleSites(caller: Caller): Promise<SiteRow[]> {
    if (caller.kind === 'share') return this.db.select().from(site).where(eq(site.id, caller.siteId));
    const orgIds = await this.visibleOrgIds(caller);
    if (orgIds.length === 0) return [];
    const rows = await this.db.select().from(site).where(inArray(site.organizationId, orgIds)).orderBy(asc(site.id));
    return caller.kind === 'key' && caller.siteIds ? rows.filter((r) => caller.siteIds!.includes(r.id)) : rows;
  }

  /** The organisation a new site goes to: the one asked for, else the caller's first where they may add sites. */
  async orgForNewSite(caller: Caller, requested: string | undefined): Promise<string> {
    if (caller.kind === 'key' && caller.siteIds) throw new AccessError(403, 'this API key is limited to some sites; it cannot add sites');
    if (requested !== undefined) {
      await this.requireOrg(caller, requested, 'sites:create');
      return requested;
    }
    if (caller.kind === 'share') throw new AccessError(403, 'a shared view is read-only');
    if (caller.kind === 'key') {
      await this.requireOrg(caller, caller.organizationId, 'sites:create');
      return caller.organizationId;
    }
    const rows = await this.db
      .select({ id: member.organizationId, role: member.role })
      .from(member)
      .innerJoin(organization, eq(organization.id, member.organizationId))
      .where(eq(member.userId, caller.userId))
      .orderBy(asc(member.createdAt));
    const org = rows.find((r) => isRole(r.role) && roleCan(r.role, 'sites:create'));
    if (!org) throw new AccessError(403, 'none of your organisations lets you add sites; ask an admin');
    return org.id;
  }
}
