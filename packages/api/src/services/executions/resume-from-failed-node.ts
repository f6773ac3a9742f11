import { resumeFromFailure } from "@weft/engine";
import type { Actor, Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { findFlow } from "../flows/find-flow";
import { findExecution, requireValidGraph } from "./execution-access";
import { runExecutionCommand, type CommandResult } from "./execution-command";
import { ExecutionIdInput } from "./schemas";

/**
 * Fix-and-continue: a failed execution continues from its failed node with the flow's CURRENT draft
 * graph (validated first: 400 with its problems). Completed nodes keep their outputs and do not re-run.
 */
export async function resumeFromFailedNode(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<CommandResult> {
  const { executionId } = parseInput(ExecutionIdInput, input);
  return runExecutionCommand(deps, {
    actor,
    executionId,
    command: async () => {
      const execution = await findExecution(deps, { workspaceId: actor.workspaceId, executionId });
      const flow = await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId: execution.flowId });
      const graph = { nodes: flow.nodes, edges: flow.edges };
      requireValidGraph(graph);
      return resumeFromFailure(deps.executions, { executionId, graph });
    },
  });
}
