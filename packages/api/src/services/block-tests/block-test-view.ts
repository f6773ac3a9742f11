import { and, blockExecutions, blockTestRuns, desc, eq, flowExecutions, sql, type SQL } from "@weft/db";
import type { Deps } from "../../lib/context";
import { BLOCK_NODE_ID } from "./test-graph";

/** One test of a block, as the history lists it: the request, and the run's outcome and metrics. */
export type BlockTestView = {
  id: string;
  executionId: string | null;
  blockId: string | null;
  blockVersion: number | null;
  flowId: string | null;
  nodeId: string | null;
  replayOf: string | null;
  blockType: string;
  input: unknown;
  /** The config the test ran with (defaults applied). */
  config: Record<string, unknown>;
  output: unknown;
  error: { code: string; message: string } | null;
  /** The execution's status: pending, running, completed, failed or cancelled. */
  status: string;
  durationMs: number | null;
  ttftMs: number | null;
  tokensPerSecond: number | null;
  tokensIn: number | null;
  tokensOut: number | null;
  /** USD; null when the price is unknown (or nothing was spent). */
  costUsd: number | null;
  createdAt: Date;
  createdBy: string | null;
};

/**
 * Test rows of the workspace matching `where`, newest first. Status, output, error and metrics are
 * read from the test's execution and its block row (the engine store writes those; nothing copies them).
 */
export async function selectBlockTests(deps: Pick<Deps, "db">, { workspaceId, where, limit }: { workspaceId: string; where?: SQL; limit: number }): Promise<BlockTestView[]> {
  const r = blockTestRuns;
  const e = flowExecutions;
  const b = blockExecutions;
  const rows = await deps.db
    .select({
      id: r.id,
      executionId: r.executionId,
      blockId: r.blockId,
      blockVersion: r.blockVersion,
      flowId: r.flowId,
      nodeId: r.nodeId,
      replayOf: r.replayOf,
      blockType: r.blockType,
      input: r.input,
      config: r.config,
      output: b.output,
      blockError: b.error,
      runError: e.error,
      status: sql<string>`coalesce(${e.status}::text, ${r.status}::text)`,
      durationMs: b.durationMs,
      ttftMs: b.ttftMs,
      tokensPerSecond: b.tokensPerSecond,
      tokensIn: b.tokensIn,
      tokensOut: b.tokensOut,
      costUsd: b.costUsd,
      createdAt: r.createdAt,
      createdBy: r.createdBy,
    })
    .from(r)
    .leftJoin(e, and(eq(e.id, r.executionId), eq(e.workspaceId, workspaceId)))
    .leftJoin(b, and(eq(b.executionId, r.executionId), eq(b.workspaceId, workspaceId), eq(b.iteration, ""), sql`${b.nodeId} = coalesce(${r.nodeId}, ${BLOCK_NODE_ID})`))
    .where(and(eq(r.workspaceId, workspaceId), where))
    .orderBy(desc(r.createdAt), desc(r.id))
    .limit(limit);
  return rows.map(({ blockError, runError, costUsd, ...row }) => ({
    ...row,
    error: blockError ?? (runError ? { code: runError.code, message: runError.message } : null),
    costUsd: costUsd == null ? null : Number(costUsd),
  }));
}
