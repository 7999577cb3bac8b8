// Better Auth (email + password) on the metadata store; a personal organisation for each new account.
import { randomBytes, randomUUID } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { eq } from 'drizzle-orm';
import type { MetaDb } from '../stores/meta/meta-store.js';
import * as schema from '../stores/meta/schema.js';

export interface AuthOptions {
  db: MetaDb;
  secret: string;
  baseUrl: string;
  disableSignup: boolean;
  trustProxy: boolean;
}

export type Auth = ReturnType<typeof createAuth>;

const INSTANCE_OWNER_KEY = 'instance_owner_user_id';

export function createAuth(opts: AuthOptions) {
  const { db } = opts;
  return betterAuth({
    appName: 'Eesee Metrics',
    baseURL: opts.baseUrl,
    basePath: '/api/auth',
    secret: opts.secret,
    database: drizzleAdapter(db, { provider: 'pg', schema }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: opts.disableSignup,
      minPasswordLength: 8,
      maxPasswordLength: 256,
      autoSignIn: true,
    },
    telemetry: { enabled: false },
    advanced: {
      ipAddress: { ipAddressHeaders: opts.trustProxy ? ['x-forwarded-for'] : [] },
      useSecureCookies: opts.baseUrl.startsWith('https://'),
      database: { generateId: () => randomUUID() },
    },
    rateLimit: { enabled: true, window: 60, max: 100, customRules: { '/sign-in/email': { window: 60, max: 10 } } },
    databaseHooks: {
      user: {
        create: {
          after: async (created) => {
            await db.transaction(async (tx) => {
              const orgId = randomUUID();
              await tx.insert(schema.organization).values({
                id: orgId,
                name: `${created.name || created.email.split('@')[0]}'s sites`,
                slug: `personal-${randomBytes(6).toString('hex')}`,
              });
              await tx.insert(schema.member).values({ id: randomUUID(), organizationId: orgId, userId: created.id, role: 'owner' });
              // The first account owns the instance; ON CONFLICT keeps the first one.
              await tx
                .insert(schema.instanceSetting)
                .values({ key: INSTANCE_OWNER_KEY, value: created.id })
                .onConflictDoNothing();
            });
          },
        },
      },
    },
  });
}

/** The account that owns this instance (the first to sign up), if any. */
export async function instanceOwnerId(db: MetaDb): Promise<string | undefined> {
  const rows = await db.select().from(schema.instanceSetting).where(eq(schema.instanceSetting.key, INSTANCE_OWNER_KEY));
  return rows[0]?.value;
}

export { APIError };
