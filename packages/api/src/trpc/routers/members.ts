import { createTRPCRouter, workspaceProcedure } from "../init";
import { inviteMember } from "../../services/workspaces/invite-member";
import { listMembers } from "../../services/workspaces/list-members";
import { removeMember } from "../../services/workspaces/remove-member";
import { InviteMemberInput, RemoveMemberInput, UpdateMemberRoleInput } from "../../services/workspaces/schemas";
import { updateMemberRole } from "../../services/workspaces/update-member-role";

export const membersRouter = createTRPCRouter({
  list: workspaceProcedure.query(({ ctx }) => listMembers(ctx.deps, { actor: ctx.actor })),
  invite: workspaceProcedure.input(InviteMemberInput).mutation(({ ctx, input }) => inviteMember(ctx.deps, { actor: ctx.actor, input })),
  updateRole: workspaceProcedure
    .input(UpdateMemberRoleInput)
    .mutation(({ ctx, input }) => updateMemberRole(ctx.deps, { actor: ctx.actor, input })),
  remove: workspaceProcedure.input(RemoveMemberInput).mutation(({ ctx, input }) => removeMember(ctx.deps, { actor: ctx.actor, input })),
});
