import { and, eq, isNull, runnerJobs, runners } from "@weft/db";
import { RUNNER_WORK_CHANNEL } from "@weft/engine";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { requireRole, requireUser } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { RevokeRunnerInput } from "./schemas";

/**
 * Revokes a runner: its credential answers 401 from now on, and the steps it held go back to the
 * queue at once (same job, same idempotency key) for another runner. Revoking twice is harmless.
 */
export async function revokeRunner(deps: Deps, { actor, input }: { actor: Actor; input: unknown }) {
  requireUser(actor);
  requireRole(actor.role, "admin");
  const { runnerId } = parseInput(RevokeRunnerInput, input);
  return deps.db.transaction(async (tx) => {
    const [runner] = await tx
      .select({ id: runners.id, revokedAt: runners.revokedAt })
      .from(runners)
      .where(and(eq(runners.id, runnerId), eq(runners.workspaceId, actor.workspaceId)));
    if (!runner) throw notFound("Runner");
    const [row] = await tx
      .update(runners)
      .set({ revokedAt: deps.now() })
      .where(and(eq(runners.id, runnerId), eq(runners.workspaceId, actor.workspaceId), isNull(runners.revokedAt)))
      .returning({ revokedAt: runners.revokedAt });
    if (row) {
      const requeued = await tx
        .update(runnerJobs)
        .set({ status: "queued", leaseExpiresAt: null, runnerId: null })
        .where(and(eq(runnerJobs.runnerId, runnerId), eq(runnerJobs.workspaceId, actor.workspaceId), eq(runnerJobs.status, "claimed")))
        .returning({ id: runnerJobs.id });
      if (requeued.length > 0) await deps.bus.notify(tx, RUNNER_WORK_CHANNEL, actor.workspaceId);
      await audit(tx, actor, "runner.revoke", { type: "runner", id: runnerId }, { requeued: requeued.length });
    }
    return { id: runnerId, revokedAt: row?.revokedAt ?? runner.revokedAt };
  });
}
