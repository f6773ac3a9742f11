import type { RunnerJob } from "@weft/db";
import type { Deps } from "../../lib/context";

/** Lets the execution waiting for a finished runner job continue (engine integration: part 3). */
export async function wakeRunnerStep(deps: Deps, job: RunnerJob): Promise<void> {
  void deps;
  void job;
}
