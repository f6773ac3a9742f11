import { and, eq, users, workspaceMembers, workspaces, type WorkspaceRole } from "@weft/db";
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

/** Clerk organization roles -> Weft roles (custom roles named after ours map directly). */
export function mapClerkRole(orgRole: string | null | undefined): WorkspaceRole {
  const role = (orgRole ?? "").replace(/^org:/, "");
  if (role === "owner" || role === "admin" || role === "member" || role === "viewer") return role;
  return "member";
}

/**
 * Mirrors a verified Clerk identity into Weft's tables: the user (by Clerk user id) and, when the
 * session has an active organization, the workspace of that organization with the user's role in it.
 * Clerk is the source of truth, so the role is updated on every call.
 */
export async function syncClerkIdentity(
  deps: Deps,
  identity: ClerkIdentity,
): Promise<{ user: SessionUser; activeWorkspaceId?: string }> {
  return deps.db.transaction(async (tx) => {
    const email = (identity.email ?? `${identity.clerkUserId}@users.clerk.invalid`).toLowerCase();
    const name = identity.name ?? email.split("@")[0] ?? "User";
    const [user] = await tx
      .insert(users)
      .values({ clerkUserId: identity.clerkUserId, email, name })
      .onConflictDoUpdate({ target: users.clerkUserId, set: identity.email ? { email, name } : { name } })
      .returning({ id: users.id, email: users.email, name: users.name });
    if (!user) throw new Error("clerk user upsert returned nothing");
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

/** Used by tests and by the members page to show memberships that came from Clerk. */
export async function hasMembership(deps: Deps, workspaceId: string, userId: string): Promise<boolean> {
  const [row] = await deps.db
    .select({ userId: workspaceMembers.userId })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  return Boolean(row);
}
