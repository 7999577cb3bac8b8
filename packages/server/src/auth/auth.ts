// Better Auth (email + password) on the metadata store; a personal organisation for each new account.
import { randomUUID } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { eq } from 'drizzle-orm';
import type { Mailer } from '../mail/mailer.js';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { insertOrganization } from '../orgs/organizations.js';
import * as schema from '../stores/meta/schema.js';

export interface AuthOptions {
  db: MetaDb;
  secret: string;
  /** BASE_URL when configured; otherwise the server answers on whatever host it was reached by. */
  baseUrl?: string;
  disableSignup: boolean;
  trustProxy: boolean;
  /** Sends password-reset links. */
  mailer: Mailer;
  /** Runs before an account is deleted: removes the organisations it alone owns, with their sites and events. */
  beforeDeleteUser: (userId: string) => Promise<void>;
}

export type Auth = ReturnType<typeof createAuth>;

/** Set by the HTTP layer (any incoming value is replaced), read by Better Auth's rate limiter. */
export const CLIENT_IP_HEADER = 'x-eesee-client-ip';

const INSTANCE_OWNER_KEY = 'instance_owner_user_id';

export function createAuth(opts: AuthOptions) {
  const { db } = opts;
  return betterAuth({
    appName: 'Eesee Metrics',
    // Without BASE_URL (a local install) links are built from the host the request came to; set BASE_URL in production.
    baseURL: opts.baseUrl,
    // Its only warning without BASE_URL says just that; errors still reach the log.
    logger: { level: 'error' },
    basePath: '/api/auth',
    // Without BASE_URL, a request from the page's own origin (the host it reached us by) is same-origin.
    trustedOrigins: opts.baseUrl ? [new URL(opts.baseUrl).origin] : (request) => (request ? [new URL(request.url).origin] : []),
    secret: opts.secret,
    database: drizzleAdapter(db, { provider: 'pg', schema }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: opts.disableSignup,
      minPasswordLength: 8,
      maxPasswordLength: 256,
      autoSignIn: true,
      resetPasswordTokenExpiresIn: 3600,
      // A reset ends every other login of the account.
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, url }) => {
        await opts.mailer.send({
          to: user.email,
          subject: 'Reset your Eesee Metrics password',
          text: `Someone (hopefully you) asked to reset the password of ${user.email} on Eesee Metrics.\n\nChoose a new password here (the link works for one hour, once):\n${url}\n\nIf you did not ask for this, ignore this message; your password stays as it is.\n`,
        });
      },
    },
    // A new e-mail address takes effect once its owner opens the link sent to it.
    emailVerification: {
      expiresIn: 24 * 3600,
      sendVerificationEmail: async ({ user, url }) => {
        await opts.mailer.send({
          to: user.email,
          subject: 'Confirm your e-mail address for Eesee Metrics',
          text: `Someone (hopefully you) asked to use ${user.email} for an Eesee Metrics account.\n\nConfirm it here (the link works for 24 hours):\n${url}\n\nIf you did not ask for this, ignore this message.\n`,
        });
      },
    },
    user: {
      changeEmail: { enabled: true },
      deleteUser: {
        enabled: true,
        beforeDelete: async (user) => opts.beforeDeleteUser(user.id),
      },
    },
    telemetry: { enabled: false },
    advanced: {
      // Explicit, so origin (CSRF) checks also run where NODE_ENV=test, where Better Auth would skip them.
      disableOriginCheck: false,
      // The HTTP layer puts Fastify's client IP (which honours TRUST_PROXY) into this header for login rate limits.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      useSecureCookies: opts.baseUrl?.startsWith('https://') ?? false,
      database: { generateId: () => randomUUID() },
    },
    rateLimit: { enabled: true, window: 60, max: 100, customRules: { '/sign-in/email': { window: 60, max: 10 } } },
    databaseHooks: {
      user: {
        create: {
          after: async (created) => {
            await db.transaction(async (tx) => {
              await insertOrganization(tx as unknown as MetaDb, created.id, `${created.name || created.email.split('@')[0]}'s sites`, 'personal');
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
