import { and, eq, flows, sql } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { liveFlow } from "./find-flow";
import { flowView, type FlowView } from "./flow-view";
import { UpdateFlowInput } from "./schemas";

/**
 * Saves the draft if nobody saved since the client read `version` (compare-and-set in one UPDATE, so of
 * two saves from the same version exactly one wins); a stale save is a 409 naming the current version.
 */
export async function updateFlow(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<FlowView> {
  requireRole(actor.role, "member");
  const { flowId, version, name, description, nodes, edges } = parseInput(UpdateFlowInput, input);
  return deps.db.transaction(async (tx) => {
    const live = liveFlow({ workspaceId: actor.workspaceId, flowId });
    const [row] = await tx
      .update(flows)
      .set({
        ...(name !== undefined ? { name } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(nodes !== undefined ? { nodes } : {}),
        ...(edges !== undefined ? { edges } : {}),
        version: sql`${flows.version} + 1`,
        updatedAt: deps.now(),
      })
      .where(and(live, eq(flows.version, version)))
      .returning(flowView);
    if (!row) {
      const [current] = await tx.select({ version: flows.version }).from(flows).where(live);
      if (!current) throw notFound("Flow");
      throw new AppError("CONFLICT", `This flow was changed elsewhere (now version ${current.version}); reload or overwrite`, { path: "version" });
    }
    const fields = Object.entries({ name, description, nodes, edges })
      .filter(([, value]) => value !== undefined)
      .map(([field]) => field);
    await audit(tx, actor, "flow.update", { type: "flow", id: flowId }, { fields, version: row.version });
    return row;
  });
}
