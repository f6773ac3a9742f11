import { RUNNER_CANCEL_CHANNEL } from "@weft/engine";
import type { Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import type { RunnerIdentity } from "./authenticate-runner";
import { readRunnerJob } from "./runner-job-access";
import { runnerHub } from "./runner-hub";
import { WaitCancelInput } from "./schemas";

/**
 * Long-poll for a cancel of the runner's job: answers `{ cancel: true }` as soon as the job is
 * cancelled (NOTIFY from the trigger on the run's end, drizzle/0011), else `{ cancel: false }` after
 * `waitMs`. The runner keeps one open while a step runs, so a cancel reaches it within a second.
 */
export async function waitRunnerCancel(deps: Deps, { runner, jobId, input, signal }: { runner: RunnerIdentity; jobId: string; input: unknown; signal?: AbortSignal }) {
  const { waitMs } = parseInput(WaitCancelInput, input);
  const waiter = await runnerHub(deps.bus, RUNNER_CANCEL_CHANNEL).arm(jobId);
  try {
    const job = await readRunnerJob(deps, runner, jobId);
    if (job.status === "cancelled") return { cancel: true };
    if (job.status !== "claimed" || job.runnerId !== runner.runnerId) return { cancel: false, claimed: false };
    const fired = await waiter.wait(waitMs, signal);
    if (!fired) return { cancel: false };
    return { cancel: (await readRunnerJob(deps, runner, jobId)).status === "cancelled" };
  } finally {
    waiter.dispose();
  }
}
