import { blockTestRuns, type TriggerType } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { requireValidGraph, streamUrl } from "../executions/execution-access";
import { requireKnownVariables } from "../variables/require-known-variables";
import { blockTestsFlowId } from "./block-tests-flow";
import { requireTestable, testGraph, type TestedNode } from "./test-graph";

export type StartedBlockTest = { testRunId: string; executionId: string; streamUrl: string };

export type BlockTestSpec = {
  node: TestedNode;
  input: unknown;
  /** Where the config came from (the history it joins). */
  blockId?: string | null;
  blockVersion?: number | null;
  flowId?: string | null;
  /** The test this one replays. */
  replayOf?: string | null;
  /** The request field a bad type or config is reported under (`block`, `blockId`, `nodeId`). */
  field: string;
};

/**
 * Starts a block test: a real execution (kind `test`) of the block between a source and a sink, with
 * the workspace's connections, variables, sandbox and guarded HTTP like any run; and its
 * `block_test_runs` row (the input and config snapshot), in one transaction. When this process runs
 * an engine the run starts at once (direct dispatch), otherwise a worker claims it.
 */
export async function launchBlockTest(
  deps: Deps,
  { actor, spec, triggerType = "manual" }: { actor: Actor; spec: BlockTestSpec; triggerType?: TriggerType },
): Promise<StartedBlockTest> {
  requireTestable(spec.node.type, `${spec.field === "block" ? "block.type" : spec.field}`);
  const graph = testGraph(spec.node);
  const valid = requireValidGraph(graph);
  const tested = valid.nodes.find((n) => n.id === spec.node.id)!;
  await requireKnownVariables(deps.db, { workspaceId: actor.workspaceId, graph });
  const start = deps.engine?.lease() ?? null;
  const { execution, testRunId } = await deps.db.transaction(async (tx) => {
    const now = deps.now();
    const flowId = spec.flowId ?? (await blockTestsFlowId(tx, { workspaceId: actor.workspaceId, now }));
    const execution = await deps.executions.create(
      {
        workspaceId: actor.workspaceId,
        flowId,
        graph,
        input: spec.input ?? null,
        triggerType,
        createdBy: actor.userId,
        name: `Test of ${spec.node.data.label ?? spec.node.id}`,
        kind: "test",
      },
      tx,
      start ?? undefined,
    );
    const [row] = await tx
      .insert(blockTestRuns)
      .values({
        workspaceId: actor.workspaceId,
        executionId: execution.id,
        blockId: spec.blockId ?? null,
        blockVersion: spec.blockVersion ?? null,
        flowId: spec.flowId ?? null,
        nodeId: spec.flowId ? spec.node.id : null,
        replayOf: spec.replayOf ?? null,
        blockType: spec.node.type,
        config: (tested.data.config ?? {}) as Record<string, unknown>,
        input: spec.input ?? null,
        status: "pending",
        createdBy: actor.userId,
        // createdAt: the database's clock (the transaction's start), which orders the history.
      })
      .returning({ id: blockTestRuns.id });
    return { execution, testRunId: row!.id };
  });
  if (start) void deps.engine!.adopt(execution);
  return { testRunId, executionId: execution.id, streamUrl: streamUrl(execution.id) };
}
