// Organisations as the dashboard sees them: types of the /api/orgs routes and what each role may do (README's table).
import { useLoad } from './use-api.js';

export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer'];

export interface Org {
  id: string;
  name: string;
  slug: string;
  monthly_event_limit: number | null;
  created_at: string;
  role: Role;
}

export interface Member {
  id: string;
  user_id: string;
  email: string;
  name: string;
  role: Role;
  created_at: string;
}

export interface Invitation {
  id: string;
  organization_id: string;
  organization_name: string;
  email: string;
  role: Role;
  status: 'pending' | 'accepted' | 'declined' | 'revoked' | 'expired';
  inviter_email: string | null;
  expires_at: string;
  created_at: string;
}

export interface ApiKey {
  id: string;
  name: string;
  start: string;
  scopes: string[];
  site_ids: number[] | null;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** Mirrors the server's permission table (packages/server/src/auth/roles.ts); the server decides, this only hides buttons. */
export const can = {
  addSites: (r: Role) => r !== 'viewer',
  deleteSites: (r: Role) => r === 'owner' || r === 'admin',
  manageMembers: (r: Role) => r === 'owner' || r === 'admin',
  manageKeys: (r: Role) => r === 'owner' || r === 'admin',
  rename: (r: Role) => r === 'owner' || r === 'admin',
  setLimits: (r: Role) => r === 'owner',
  deleteOrg: (r: Role) => r === 'owner',
};

export function useOrgs(): { orgs?: Org[]; error?: string; reload: () => void } {
  const { data, error, reload } = useLoad<{ organizations: Org[] }>('/api/orgs');
  return { orgs: data?.organizations, error, reload };
}

export const formatDate = (iso: string | null) => (iso ? new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' }) : '–');
