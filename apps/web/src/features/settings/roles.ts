import type { WorkspaceRole } from "@/features/workspaces/get-workspace";

export const roleOptions: { value: WorkspaceRole; label: string; description: string }[] = [
  { value: "viewer", label: "Viewer", description: "reads flows and runs" },
  { value: "member", label: "Member", description: "also edits and runs flows" },
  { value: "admin", label: "Admin", description: "also manages connections, keys and members" },
  { value: "owner", label: "Owner", description: "everything, including ownership" },
];

/** Roles the actor may hand out: owners alone grant ownership (the API enforces the same). */
export const grantableRoles = (actorRole: WorkspaceRole) => roleOptions.filter((r) => r.value !== "owner" || actorRole === "owner");

export const roleLabel = (role: WorkspaceRole) => roleOptions.find((r) => r.value === role)?.label ?? role;
