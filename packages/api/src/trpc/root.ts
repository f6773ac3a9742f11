import { createCallerFactory, createTRPCRouter } from "./init";
import { analyticsRouter } from "./routers/analytics";
import { apiKeysRouter } from "./routers/api-keys";
import { runnersRouter } from "./routers/runners";
import { artifactsRouter } from "./routers/artifacts";
import { commentsRouter } from "./routers/comments";
import { stepsRouter } from "./routers/steps";
import { blocksRouter } from "./routers/blocks";
import { executionsRouter } from "./routers/executions";
import { flowsRouter } from "./routers/flows";
import { authRouter } from "./routers/auth";
import { connectionsRouter } from "./routers/connections";
import { decisionsRouter } from "./routers/decisions";
import { membersRouter } from "./routers/members";
import { patternsRouter } from "./routers/patterns";
import { schedulesRouter } from "./routers/schedules";
import { variablesRouter } from "./routers/variables";
import { webhooksRouter } from "./routers/webhooks";
import { workspacesRouter } from "./routers/workspaces";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  workspaces: workspacesRouter,
  members: membersRouter,
  apiKeys: apiKeysRouter,
  runners: runnersRouter,
  connections: connectionsRouter,
  flows: flowsRouter,
  executions: executionsRouter,
  blocks: blocksRouter,
  schedules: schedulesRouter,
  webhooks: webhooksRouter,
  comments: commentsRouter,
  artifacts: artifactsRouter,
  steps: stepsRouter,
  variables: variablesRouter,
  decisions: decisionsRouter,
  patterns: patternsRouter,
  analytics: analyticsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
