import type { DbOrTx } from "@weft/db";
import { requireValidInput } from "../executions/require-valid-input";
import { resolveRunGraph } from "../executions/resolve-run-graph";
import { findFlow } from "../flows/find-flow";

/**
 * A schedule's input against the Start block's input schema of the graph its runs would execute (the
 * published version, else the draft): a 400 naming `input.<field>` when saved, rather than a failed
 * slot every time it fires. A run's input is this object plus `trigger`, which the schema never sees.
 */
export async function requireValidScheduleInput(db: DbOrTx, { workspaceId, flowId, input }: { workspaceId: string; flowId: string; input: Record<string, unknown> | null }) {
  const flow = await findFlow(db, { workspaceId, flowId });
  const { graph } = await resolveRunGraph(db, { workspaceId, flow });
  requireValidInput(graph, input ?? {});
}
