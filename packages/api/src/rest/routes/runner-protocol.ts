import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AppError } from "../../lib/errors";
import { appendRunnerLogs } from "../../services/runners/append-runner-logs";
import { authenticateRunner, type RunnerIdentity } from "../../services/runners/authenticate-runner";
import { claimRunnerJob } from "../../services/runners/claim-runner-job";
import { finishRunnerJob } from "../../services/runners/finish-runner-job";
import { heartbeatRunnerJob } from "../../services/runners/heartbeat-runner-job";
import { registerRunner } from "../../services/runners/register-runner";
import { AppendRunnerLogsInput, ClaimRunnerJobInput, FinishRunnerJobInput, RegisterRunnerInput, WaitCancelInput } from "../../services/runners/schemas";
import { waitRunnerCancel } from "../../services/runners/wait-runner-cancel";
import { jsonBody, route, Uuid, type Env, type RestApp, type RestContext } from "../shared";

/** Everything under it authenticates with a runner credential, not a session or an API key. */
export const RUNNER_PROTOCOL_PREFIX = "/api/v1/runner/";

const JobParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
const tags = ["runner protocol"];

/**
 * `/api/v1/runner/...`: what `weft-runner` calls, outbound only. `register` trades a registration
 * token for a credential; every other call sends `Authorization: Bearer <credential>` (unknown or
 * revoked: 401) and sees only its own workspace's jobs (others: 404).
 */
export function registerRunnerProtocolRoutes(app: RestApp, { deps }: RestContext): void {
  const runnerOf = async (c: Context<Env>): Promise<RunnerIdentity> => {
    const bearer = /^bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
    const runner = bearer ? await authenticateRunner(deps, { credential: bearer }) : null;
    if (!runner) throw new AppError("UNAUTHORIZED", "Invalid or revoked runner credential: register the runner again");
    return runner;
  };

  app.openapi(
    route({ method: "post", path: "/api/v1/runner/register", request: jsonBody(RegisterRunnerInput), status: 201, description: "`{ runner, credential }`; the credential is shown this once", tags }),
    async (c) => c.json(await registerRunner(deps, { input: c.req.valid("json") }), 201),
  );
  app.openapi(
    route({ method: "post", path: "/api/v1/runner/jobs/claim", request: jsonBody(ClaimRunnerJobInput), description: "Long-poll: `{ job }` (null after `waitMs` with nothing to do)", tags }),
    async (c) => {
      const runner = await runnerOf(c);
      return c.json({ job: await claimRunnerJob(deps, { runner, input: c.req.valid("json"), signal: c.req.raw.signal }) }, 200);
    },
  );
  app.openapi(
    route({ method: "post", path: "/api/v1/runner/jobs/{id}/heartbeat", request: { params: JobParams }, description: "`{ cancel }`; 409 when the job is no longer this runner's", tags }),
    async (c) => c.json(await heartbeatRunnerJob(deps, { runner: await runnerOf(c), jobId: c.req.valid("param").id }), 200),
  );
  app.openapi(
    route({ method: "post", path: "/api/v1/runner/jobs/{id}/logs", request: { params: JobParams, ...jsonBody(AppendRunnerLogsInput) }, description: "`{ cancel, accepted }`", tags }),
    async (c) => c.json(await appendRunnerLogs(deps, { runner: await runnerOf(c), jobId: c.req.valid("param").id, input: c.req.valid("json") }), 200),
  );
  app.openapi(
    route({ method: "post", path: "/api/v1/runner/jobs/{id}/result", request: { params: JobParams, ...jsonBody(FinishRunnerJobInput) }, description: "`{ accepted, cancelled }`", tags }),
    async (c) => c.json(await finishRunnerJob(deps, { runner: await runnerOf(c), jobId: c.req.valid("param").id, input: c.req.valid("json") }), 200),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/runner/jobs/{id}/cancel", request: { params: JobParams, query: WaitCancelInput }, description: "Long-poll: `{ cancel: true }` as soon as the step is cancelled", tags }),
    async (c) => {
      const runner = await runnerOf(c);
      return c.json(await waitRunnerCancel(deps, { runner, jobId: c.req.valid("param").id, input: c.req.valid("query"), signal: c.req.raw.signal }), 200);
    },
  );
}
