import { and, eq, inArray, isNotNull, ne, users, workspaceMembers, workspaces, type WorkspaceRole } from "@weft/db";
import type { Deps, SessionUser } from "../../lib/context";

export type ClerkIdentity = {
  clerkUserId: string;
  email?: string;
  name?: string;
  orgId?: string | null;
  orgRole?: string | null;
  orgSlug?: string | null;
  orgName?: string | null;
};

/**
 * Clerk organization roles -> Weft roles: `org:admin` and `org:member` (Clerk's defaults) and custom
 * roles named after ours map directly; any other custom role gets the least privilege, viewer.
 */
export function mapClerkRole(orgRole: string | null | undefined): WorkspaceRole {
  const role = (orgRole ?? "").replace(/^org:/, "");
  if (role === "owner" || role === "admin" || role === "member" || role === "viewer") return role;
  return "viewer";
}

/**
 * Mirrors a verified Clerk identity into Weft's tables: the user (by Clerk user id) and, when the
 * session has an active organization, the workspace of that organization with the user's role in it.
 * Clerk is the source of truth: the role is updated on every call, and the user's memberships of other
 * Clerk organizations are dropped, so a user removed or demoted in Clerk keeps no old rights in Weft
 * (switching the active organization in Clerk re-creates the membership on the next request).
 */
export async function syncClerkIdentity(
  deps: Deps,
  identity: ClerkIdentity,
): Promise<{ user: SessionUser; activeWorkspaceId?: string }> {
  return deps.db.transaction(async (tx) => {
    const placeholder = `${identity.clerkUserId.toLowerCase()}@users.clerk.invalid`;
    let email = (identity.email ?? placeholder).toLowerCase();
    if (email !== placeholder) {
      // The email belongs to another account (local, or another Clerk user): keep them apart.
      const [taken] = await tx
        .select({ clerkUserId: users.clerkUserId })
        .from(users)
        .where(eq(users.email, email));
      if (taken && taken.clerkUserId !== identity.clerkUserId) email = placeholder;
    }
    const name = identity.name ?? (email === placeholder ? "User" : (email.split("@")[0] ?? "User"));
    const [user] = await tx
      .insert(users)
      .values({ clerkUserId: identity.clerkUserId, email, name })
      .onConflictDoUpdate({ target: users.clerkUserId, set: { email, name } })
      .returning({ id: users.id, email: users.email, name: users.name });
    if (!user) throw new Error("clerk user upsert returned nothing");
    const otherOrgs = tx
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(and(isNotNull(workspaces.clerkOrgId), identity.orgId ? ne(workspaces.clerkOrgId, identity.orgId) : undefined));
    await tx
      .delete(workspaceMembers)
      .where(and(eq(workspaceMembers.userId, user.id), inArray(workspaceMembers.workspaceId, otherOrgs)));
    if (!identity.orgId) return { user };
    const [workspace] = await tx
      .insert(workspaces)
      .values({ clerkOrgId: identity.orgId, name: identity.orgName ?? identity.orgSlug ?? identity.orgId, createdBy: user.id })
      .onConflictDoUpdate({ target: workspaces.clerkOrgId, set: { clerkOrgId: identity.orgId } })
      .returning({ id: workspaces.id });
    if (!workspace) throw new Error("clerk workspace upsert returned nothing");
    const role = mapClerkRole(identity.orgRole);
    await tx
      .insert(workspaceMembers)
      .values({ workspaceId: workspace.id, userId: user.id, role })
      .onConflictDoUpdate({ target: [workspaceMembers.workspaceId, workspaceMembers.userId], set: { role } });
    return { user, activeWorkspaceId: workspace.id };
  });
}
