import type { WorkspaceRole } from "@weft/db";
import { forbidden } from "./errors";

export const roles = ["owner", "admin", "member", "viewer"] as const satisfies readonly WorkspaceRole[];
const rank: Record<WorkspaceRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** Viewers read; members run and edit; admins manage connections, keys and members; owners everything. */
export const roleAtLeast = (role: WorkspaceRole, min: WorkspaceRole) => rank[role] >= rank[min];

export function requireRole(role: WorkspaceRole, min: WorkspaceRole): void {
  if (!roleAtLeast(role, min)) throw forbidden(`This needs the ${min} role; you are ${role === "admin" ? "an" : "a"} ${role}`);
}
