// The one way the dashboard talks to the server: JSON over fetch, with the server's {error} message on failure.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Set on a shared or public dashboard: every request then carries the link (and the grant its password earned). */
let shareHeaders: Record<string, string> = {};

export function setShareCredentials(share: string | null, grant?: string): void {
  shareHeaders = share ? { 'x-eesee-share': share, ...(grant ? { 'x-eesee-share-grant': grant } : {}) } : {};
}

export const isSharedView = () => 'x-eesee-share' in shareHeaders;

export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...shareHeaders },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      signal: init.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'The server cannot be reached. Check that Eesee is running, then try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const message = (data as { error?: unknown; message?: unknown } | undefined)?.error ?? (data as { message?: unknown } | undefined)?.message;
    throw new ApiError(res.status, typeof message === 'string' && message ? message : `The server answered ${res.status} ${res.statusText}.`);
  }
  return data as T;
}

export interface SiteSettings {
  allowedHostnames: string[];
  excludedIps: string[];
  excludedPaths: string[];
  excludedCountries: string[];
  trailingSlashMerge: boolean;
  hashRouting: boolean;
  excludedQueryParams: string[];
  sessionTimeoutMinutes: number;
  botFiltering: boolean;
  publicDashboard: boolean;
  retentionDays: number | null;
}

export interface Site {
  id: number;
  organization_id: string;
  name: string;
  domain: string;
  timezone: string;
  settings: SiteSettings;
  created_at: string;
  updated_at: string;
}

/** What a shared or public view knows of its site. */
export type SharedSite = Pick<Site, 'id' | 'name' | 'domain' | 'timezone'>;

export interface User {
  id: string;
  email: string;
  name: string;
}

export type StatsFilter = [string, string, (string | number)[]] | ['and' | 'or', StatsFilter[]] | ['not', StatsFilter];

export interface StatsQuery {
  site_id: number;
  date_range: string | [string, string];
  metrics: string[];
  dimensions?: string[];
  filters?: StatsFilter[];
  order_by?: [string, 'asc' | 'desc'][];
  limit?: number;
  offset?: number;
  compare?: 'previous_period' | 'year_over_year';
}

export interface StatsRow {
  dimensions: (string | number)[];
  metrics: number[];
  comparison?: { metrics: number[]; change: (number | null)[] };
}

export interface StatsResponse {
  results: StatsRow[];
  query: { date_range: string | [string, string]; timezone: string };
  meta: { warnings: string[]; total_rows: number; time_labels?: string[]; comparison_date_range?: [string, string] };
}

export const stats = (query: StatsQuery, signal?: AbortSignal) => api<StatsResponse>('/api/v1/query', { body: query, signal });

export async function currentUser(): Promise<User | null> {
  const session = await api<{ user: User } | null>('/api/auth/get-session');
  return session?.user ?? null;
}
