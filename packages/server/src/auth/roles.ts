// Who may do what: the roles of an organisation, the scopes of API keys, and the one permission table (README).

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ['stats:read', 'ingest', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Each permission and the roles that have it. */
export const PERMISSIONS = {
  /** See dashboards, query the Stats API, watch live visitors. */
  'stats:read': ['owner', 'admin', 'member', 'viewer'],
  'replays:view': ['owner', 'admin', 'member'],
  'sites:create': ['owner', 'admin', 'member'],
  /** Name, domain, time zone and ingestion settings of a site. */
  'sites:update': ['owner', 'admin', 'member'],
  'shares:manage': ['owner', 'admin', 'member'],
  /** Delete a site with its events, or an organisation's data. */
  'data:delete': ['owner', 'admin'],
  'members:manage': ['owner', 'admin'],
  'keys:manage': ['owner', 'admin'],
  'org:update': ['owner', 'admin'],
  /** The monthly event limit of the organisation. */
  'limits:manage': ['owner'],
  'org:delete': ['owner'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/**
 * What a key of each scope may do. `ingest` grants nothing here: it only lets server-side tracking send the client's
 * IP and user agent. `admin` keys manage sites and sharing but never members or keys, so a leaked key cannot mint
 * more keys or let someone in.
 */
const SCOPE_PERMISSIONS: Record<Scope, readonly Permission[]> = {
  'stats:read': ['stats:read'],
  ingest: [],
  admin: ['stats:read', 'sites:create', 'sites:update', 'shares:manage', 'data:delete'],
};

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function isScope(v: unknown): v is Scope {
  return typeof v === 'string' && (SCOPES as readonly string[]).includes(v);
}

export function roleCan(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function scopesCan(scopes: readonly Scope[], permission: Permission): boolean {
  return scopes.some((s) => SCOPE_PERMISSIONS[s].includes(permission));
}

/** Only an owner may hand out or take away ownership; an admin manages admins, members and viewers. */
export function mayAssignRole(actor: Role, from: Role | undefined, to: Role): boolean {
  if (!roleCan(actor, 'members:manage')) return false;
  if (actor === 'owner') return true;
  return to !== 'owner' && from !== 'owner';
}
