import type { Deps } from "../../lib/context";
import type { RunnerIdentity } from "./authenticate-runner";
import { renewClaim } from "./runner-job-access";

/** A runner's heartbeat for the step it runs: renews the lease; `cancel` tells it to kill the step. */
export async function heartbeatRunnerJob(deps: Deps, { runner, jobId }: { runner: RunnerIdentity; jobId: string }) {
  const { cancel } = await renewClaim(deps, runner, jobId);
  return { cancel };
}
