import { z } from "zod";
import { Email } from "../auth/schemas";

export const WorkspaceName = z.string().trim().min(1, "Enter a name").max(80, "Use at most 80 characters");
export const Role = z.enum(["owner", "admin", "member", "viewer"]);

export const CreateWorkspaceInput = z.object({ name: WorkspaceName });
export type CreateWorkspaceInput = z.infer<typeof CreateWorkspaceInput>;

export const RenameWorkspaceInput = z.object({
  name: WorkspaceName,
  /** Days ended runs, webhook invocations and schedule slots are kept (the retention job deletes older ones). */
  retentionDays: z.number().int().min(1, "Keep runs at least 1 day").max(3650, "Keep runs at most 3650 days").optional(),
});
export type RenameWorkspaceInput = z.infer<typeof RenameWorkspaceInput>;

export const InviteMemberInput = z.object({ email: Email, role: Role.default("member") });
export type InviteMemberInput = z.infer<typeof InviteMemberInput>;

export const UpdateMemberRoleInput = z.object({ userId: z.uuid(), role: Role });
export type UpdateMemberRoleInput = z.infer<typeof UpdateMemberRoleInput>;

export const RemoveMemberInput = z.object({ userId: z.uuid() });
export type RemoveMemberInput = z.infer<typeof RemoveMemberInput>;
