import { createTRPCRouter, workspaceProcedure } from "../init";
import { createRegistrationToken } from "../../services/runners/create-registration-token";
import { listRunners } from "../../services/runners/list-runners";
import { revokeRunner } from "../../services/runners/revoke-runner";
import { CreateRegistrationTokenInput, RevokeRunnerInput } from "../../services/runners/schemas";

/** Settings → Runners: the workspace's self-hosted runners. */
export const runnersRouter = createTRPCRouter({
  list: workspaceProcedure.query(({ ctx }) => listRunners(ctx.deps, { actor: ctx.actor })),
  createRegistrationToken: workspaceProcedure
    .input(CreateRegistrationTokenInput.partial())
    .mutation(({ ctx, input }) => createRegistrationToken(ctx.deps, { actor: ctx.actor, input })),
  revoke: workspaceProcedure.input(RevokeRunnerInput).mutation(({ ctx, input }) => revokeRunner(ctx.deps, { actor: ctx.actor, input })),
});
