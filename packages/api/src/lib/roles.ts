import type { WorkspaceRole } from "@weft/db";
import { forbidden } from "./errors";

export const roles = ["owner", "admin", "member", "viewer"] as const satisfies readonly WorkspaceRole[];
const rank: Record<WorkspaceRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** Viewers read; members run and edit; admins manage connections, keys and members; owners everything. */
export const roleAtLeast = (role: WorkspaceRole, min: WorkspaceRole) => rank[role] >= rank[min];

export function requireRole(role: WorkspaceRole, min: WorkspaceRole): void {
  if (!roleAtLeast(role, min)) throw forbidden(`This needs the ${min} role; you are ${role === "admin" ? "an" : "a"} ${role}`);
}

/** Managing keys and members needs a person: an API key cannot mint keys or change who is in the workspace. */
export function requireUser(actor: { userId: string | null }): asserts actor is { userId: string } {
  if (!actor.userId) throw forbidden("API keys cannot do this; sign in as a workspace admin");
}
