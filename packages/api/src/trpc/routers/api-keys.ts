import { createTRPCRouter, workspaceProcedure } from "../init";
import { createApiKey } from "../../services/api-keys/create-api-key";
import { listApiKeys } from "../../services/api-keys/list-api-keys";
import { revokeApiKey } from "../../services/api-keys/revoke-api-key";
import { CreateApiKeyInput, RevokeApiKeyInput } from "../../services/api-keys/schemas";

export const apiKeysRouter = createTRPCRouter({
  list: workspaceProcedure.query(({ ctx }) => listApiKeys(ctx.deps, { actor: ctx.actor })),
  create: workspaceProcedure.input(CreateApiKeyInput).mutation(({ ctx, input }) => createApiKey(ctx.deps, { actor: ctx.actor, input })),
  revoke: workspaceProcedure.input(RevokeApiKeyInput).mutation(({ ctx, input }) => revokeApiKey(ctx.deps, { actor: ctx.actor, input })),
});
