// Invitations to an organisation by e-mail: create (and mail), list, revoke; the invitee accepts or declines.
import { randomBytes } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Mailer } from '../mail/mailer.js';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { invitation, member, organization, user } from '../stores/meta/schema.js';
import { ROLES, type Role } from '../auth/roles.js';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export const createInvitationSchema = z
  .object({
    email: z.string().trim().toLowerCase().max(254).pipe(z.email('email must be an e-mail address such as ada@example.com')),
    role: z.enum(ROLES).default('member'),
  })
  .strict();

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'revoked' | 'expired';

export interface InvitationDto {
  id: string;
  organization_id: string;
  organization_name: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  inviter_email: string | null;
  expires_at: string;
  created_at: string;
}

export class InvitationError extends Error {
  constructor(
    readonly statusCode: 400 | 403 | 404 | 409 | 410 | 502,
    message: string,
  ) {
    super(message);
  }
}

/** Invitation ids are the secret in the link: 144 random bits, URL-safe. */
const ID_PATTERN = /^[A-Za-z0-9_-]{24}$/;

export class Invitations {
  constructor(
    private readonly db: MetaDb,
    private readonly mailer: Mailer,
  ) {}

  private async rows(where: ReturnType<typeof eq>) {
    const rows = await this.db
      .select({ inv: invitation, orgName: organization.name, inviterEmail: user.email })
      .from(invitation)
      .innerJoin(organization, eq(organization.id, invitation.organizationId))
      .leftJoin(user, eq(user.id, invitation.inviterId))
      .where(where)
      .orderBy(desc(invitation.createdAt));
    const now = Date.now();
    return rows.map(
      (r): InvitationDto => ({
        id: r.inv.id,
        organization_id: r.inv.organizationId,
        organization_name: r.orgName,
        email: r.inv.email,
        role: (r.inv.role ?? 'member') as Role,
        status: r.inv.status === 'pending' && r.inv.expiresAt.getTime() <= now ? 'expired' : (r.inv.status as InvitationStatus),
        inviter_email: r.inviterEmail,
        expires_at: r.inv.expiresAt.toISOString(),
        created_at: r.inv.createdAt.toISOString(),
      }),
    );
  }

  list(orgId: string): Promise<InvitationDto[]> {
    return this.rows(eq(invitation.organizationId, orgId));
  }

  async get(id: string): Promise<InvitationDto | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    return (await this.rows(eq(invitation.id, id)))[0];
  }

  /** Creates the invitation and mails the link; `appUrl` is where the dashboard is reached (BASE_URL or the request's origin). */
  async create(orgId: string, inviter: { id: string; name: string; email: string }, input: z.infer<typeof createInvitationSchema>, appUrl: string): Promise<InvitationDto> {
    const [already] = await this.db
      .select({ id: member.id })
      .from(member)
      .innerJoin(user, eq(user.id, member.userId))
      .where(and(eq(member.organizationId, orgId), eq(user.email, input.email)));
    if (already) throw new InvitationError(409, `${input.email} is already a member of this organisation`);
    const pending = (await this.list(orgId)).find((i) => i.email === input.email && i.status === 'pending');
    if (pending) throw new InvitationError(409, `${input.email} already has a pending invitation; revoke it to send a new one`);

    const id = randomBytes(18).toString('base64url');
    await this.db.insert(invitation).values({
      id,
      organizationId: orgId,
      email: input.email,
      role: input.role,
      status: 'pending',
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      inviterId: inviter.id,
    });
    const dto = (await this.get(id))!;
    const link = `${appUrl.replace(/\/$/, '')}/invite/${id}`;
    const who = inviter.name ? `${inviter.name} (${inviter.email})` : inviter.email;
    // Names come from users: one line each, so they cannot break the subject.
    const orgName = dto.organization_name.replace(/[\r\n\t]+/g, ' ');
    const mail = {
      to: input.email,
      subject: `You are invited to ${orgName} on Eesee Metrics`.slice(0, 200),
      text: `${who} invited you to join "${orgName}" on Eesee Metrics as ${input.role}.\n\nOpen this link to accept or decline (it expires in 7 days):\n${link}\n\nIf you did not expect this, ignore this message.\n`,
      html: `<p>${escapeHtml(who)} invited you to join <strong>${escapeHtml(orgName)}</strong> on Eesee Metrics as ${input.role}.</p><p><a href="${escapeHtml(link)}">Accept or decline the invitation</a> (the link expires in 7 days).</p><p>If you did not expect this, ignore this message.</p>`,
    };
    try {
      await this.mailer.send(mail);
    } catch (err) {
      // An invitation nobody was told about would only block a second try.
      await this.db.delete(invitation).where(eq(invitation.id, id));
      throw new InvitationError(502, `the invitation e-mail could not be sent (${(err as Error).message}); nothing was saved, try again`);
    }
    return dto;
  }

  async revoke(orgId: string, id: string): Promise<InvitationDto> {
    const inv = await this.get(id);
    if (!inv || inv.organization_id !== orgId) throw new InvitationError(404, 'no such invitation in this organisation');
    if (inv.status !== 'pending') throw new InvitationError(409, `the invitation is ${inv.status}; only pending invitations can be revoked`);
    await this.db.update(invitation).set({ status: 'revoked' }).where(eq(invitation.id, id));
    return { ...inv, status: 'revoked' };
  }

  /** The invitation as its invitee sees it; 404 for anyone else, so links cannot be used by others. */
  async forInvitee(id: string, email: string): Promise<InvitationDto> {
    const inv = await this.get(id);
    if (!inv || inv.email !== email.toLowerCase()) throw new InvitationError(404, 'no such invitation for your e-mail address; sign in with the address it was sent to');
    return inv;
  }

  async respond(id: string, invitee: { id: string; email: string }, answer: 'accept' | 'decline'): Promise<InvitationDto> {
    const inv = await this.forInvitee(id, invitee.email);
    if (inv.status === 'expired') throw new InvitationError(410, 'this invitation has expired; ask for a new one');
    if (inv.status !== 'pending') throw new InvitationError(409, `this invitation was already ${inv.status}`);
    const status = answer === 'accept' ? 'accepted' : 'declined';
    await this.db.transaction(async (tx) => {
      // Only one answer wins, even when two arrive at once.
      const updated = await tx
        .update(invitation)
        .set({ status })
        .where(and(eq(invitation.id, id), eq(invitation.status, 'pending')))
        .returning({ id: invitation.id });
      if (updated.length === 0) throw new InvitationError(409, 'this invitation was already answered');
      if (answer === 'accept') {
        await tx
          .insert(member)
          .values({ id: crypto.randomUUID(), organizationId: inv.organization_id, userId: invitee.id, role: inv.role })
          .onConflictDoNothing();
      }
    });
    return { ...inv, status };
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
