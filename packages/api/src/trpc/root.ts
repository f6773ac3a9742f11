import { createCallerFactory, createTRPCRouter } from "./init";
import { apiKeysRouter } from "./routers/api-keys";
import { authRouter } from "./routers/auth";
import { connectionsRouter } from "./routers/connections";
import { membersRouter } from "./routers/members";
import { workspacesRouter } from "./routers/workspaces";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  workspaces: workspacesRouter,
  members: membersRouter,
  apiKeys: apiKeysRouter,
  connections: connectionsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
