// Organisations and their members: create, rename, set limits, delete; list members, change roles, remove.
import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { MetaDb } from '../stores/meta/meta-store.js';
import { member, organization, site, sitePurge, user } from '../stores/meta/schema.js';
import { isRole, ROLES, type Role } from '../auth/roles.js';

export const orgNameSchema = z.string().trim().min(1, 'name is required').max(100);

export const createOrgSchema = z.object({ name: orgNameSchema }).strict();
export const updateOrgSchema = z
  .object({
    name: orgNameSchema.optional(),
    monthly_event_limit: z.number().int().min(1).max(1e12).nullable().optional(),
  })
  .strict();
export const memberRoleSchema = z.object({ role: z.enum(ROLES) }).strict();

export interface OrgDto {
  id: string;
  name: string;
  slug: string;
  monthly_event_limit: number | null;
  created_at: string;
  /** The caller's role in it. */
  role: Role;
}

export interface MemberDto {
  id: string;
  user_id: string;
  email: string;
  name: string;
  role: Role;
  created_at: string;
}

/** Refusals that protect an organisation from ending up without an owner, and similar conflicts. */
export class OrgConflictError extends Error {
  readonly statusCode = 409;
}

type OrgRow = typeof organization.$inferSelect;

const toOrgDto = (row: OrgRow, role: Role): OrgDto => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  monthly_event_limit: row.monthlyEventLimit ?? null,
  created_at: row.createdAt.toISOString(),
  role,
});

/** Inserts an organisation with its owner (in the caller's transaction); the slug is the prefix and random hex. */
export async function insertOrganization(tx: MetaDb, ownerId: string, name: string, slugPrefix: string): Promise<OrgRow> {
  const id = randomUUID();
  const [org] = await tx.insert(organization).values({ id, name, slug: `${slugPrefix}-${randomBytes(6).toString('hex')}` }).returning();
  await tx.insert(member).values({ id: randomUUID(), organizationId: id, userId: ownerId, role: 'owner' });
  return org!;
}

export class Organizations {
  constructor(private readonly db: MetaDb) {}

  async listFor(userId: string): Promise<OrgDto[]> {
    const rows = await this.db
      .select({ org: organization, role: member.role })
      .from(member)
      .innerJoin(organization, eq(organization.id, member.organizationId))
      .where(eq(member.userId, userId))
      .orderBy(asc(member.createdAt));
    return rows.filter((r) => isRole(r.role)).map((r) => toOrgDto(r.org, r.role as Role));
  }

  async get(orgId: string, role: Role): Promise<OrgDto | undefined> {
    const [row] = await this.db.select().from(organization).where(eq(organization.id, orgId));
    return row ? toOrgDto(row, role) : undefined;
  }

  async create(ownerId: string, name: string): Promise<OrgDto> {
    const row = await this.db.transaction((tx) => insertOrganization(tx as unknown as MetaDb, ownerId, name, 'org'));
    return toOrgDto(row, 'owner');
  }

  async update(orgId: string, patch: { name?: string; monthly_event_limit?: number | null }, role: Role): Promise<OrgDto | undefined> {
    const [row] = await this.db
      .update(organization)
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.monthly_event_limit !== undefined && { monthlyEventLimit: patch.monthly_event_limit }),
      })
      .where(eq(organization.id, orgId))
      .returning();
    return row ? toOrgDto(row, role) : undefined;
  }

  /** Deletes the organisation with its sites, members, invitations and keys; returns the site ids whose events must go. */
  async delete(orgId: string): Promise<number[]> {
    return this.db.transaction(async (tx) => {
      const sites = await tx.select({ id: site.id }).from(site).where(eq(site.organizationId, orgId));
      // The sites go with the organisation; their data in the events store is to be purged (Sites.purgeEvents).
      if (sites.length > 0) await tx.insert(sitePurge).values(sites.map((s) => ({ siteId: s.id }))).onConflictDoNothing();
      await tx.delete(organization).where(eq(organization.id, orgId));
      return sites.map((s) => s.id);
    });
  }

  /** Organisations where this user is the only owner: they go when the account goes. */
  async soleOwnedBy(userId: string): Promise<{ id: string; name: string; members: number }[]> {
    const owned = await this.db
      .select({ id: organization.id, name: organization.name })
      .from(member)
      .innerJoin(organization, eq(organization.id, member.organizationId))
      .where(and(eq(member.userId, userId), eq(member.role, 'owner')));
    const result: { id: string; name: string; members: number }[] = [];
    for (const org of owned) {
      const list = await this.members(org.id);
      if (list.filter((m) => m.role === 'owner').length === 1) result.push({ ...org, members: list.length });
    }
    return result;
  }

  async members(orgId: string): Promise<MemberDto[]> {
    const rows = await this.db
      .select({ m: member, email: user.email, name: user.name })
      .from(member)
      .innerJoin(user, eq(user.id, member.userId))
      .where(eq(member.organizationId, orgId))
      .orderBy(asc(member.createdAt));
    return rows.map((r) => ({ id: r.m.id, user_id: r.m.userId, email: r.email, name: r.name, role: (isRole(r.m.role) ? r.m.role : 'viewer') as Role, created_at: r.m.createdAt.toISOString() }));
  }

  async member(orgId: string, memberId: string): Promise<MemberDto | undefined> {
    return (await this.members(orgId)).find((m) => m.id === memberId);
  }

  /**
   * Changes or removes a membership while keeping an owner. The owners' rows are locked first (FOR UPDATE), so two
   * owners demoting each other at the same moment cannot both succeed.
   */
  private async keepingAnOwner(orgId: string, target: MemberDto, losesOwner: boolean, message: string, change: (tx: MetaDb) => Promise<unknown>): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (losesOwner) {
        const owners = await tx
          .select({ id: member.id })
          .from(member)
          .where(and(eq(member.organizationId, orgId), eq(member.role, 'owner')))
          .for('update');
        if (owners.filter((o) => o.id !== target.id).length === 0) throw new OrgConflictError(message);
      }
      await change(tx as unknown as MetaDb);
    });
  }

  async setRole(orgId: string, target: MemberDto, role: Role): Promise<MemberDto> {
    await this.keepingAnOwner(orgId, target, target.role === 'owner' && role !== 'owner', 'the organisation needs at least one owner: make someone else owner first', (tx) =>
      tx.update(member).set({ role }).where(and(eq(member.id, target.id), eq(member.organizationId, orgId))),
    );
    return { ...target, role };
  }

  async removeMember(orgId: string, target: MemberDto): Promise<void> {
    await this.keepingAnOwner(orgId, target, target.role === 'owner', 'the last owner cannot leave: make someone else owner, or delete the organisation', (tx) =>
      tx.delete(member).where(and(eq(member.id, target.id), eq(member.organizationId, orgId))),
    );
  }
}
