import { and, eq, flowVersions, type DbOrTx, type FlowExecution, type TriggerType } from "@weft/db";
import type { Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { findFlow } from "../flows/find-flow";
import { requireValidGraph, type Graph } from "./execution-access";
import { requireValidInput } from "./start-execution";

export type NewRun = {
  workspaceId: string;
  flowId: string;
  input: unknown;
  triggerType: TriggerType;
  createdBy?: string | null;
  /** A version number to run; default: the published version, else the draft. */
  version?: number;
  /** Run the draft even when a version is published (the builder's Run). */
  draft?: boolean;
  idempotencyKey?: string | null;
  /** Held until then (see NewExecution.wakeAt). */
  wakeAt?: Date | null;
  /** Join this transaction (e.g. with the webhook invocation or the schedule slot that starts it). */
  tx?: DbOrTx;
};

/**
 * Every way a run starts (manual, API, webhook, schedule) comes through here: the flow's published
 * version (or `version`), else its draft (or the draft when `draft` is set), pinned on the execution so later edits never change it; the
 * graph validated and the input checked against the source block's `inputSchema` before anything is
 * written (400s naming the node or field).
 */
export async function createRun(deps: Pick<Deps, "db" | "executions">, run: NewRun): Promise<FlowExecution> {
  const db = run.tx ?? deps.db;
  const flow = await findFlow(db, { workspaceId: run.workspaceId, flowId: run.flowId });
  let graph: Graph = { nodes: flow.nodes, edges: flow.edges };
  let flowVersionId: string | null = null;
  const wanted = run.draft ? null : (run.version ?? flow.publishedVersion);
  if (wanted != null) {
    const [row] = await db
      .select({ id: flowVersions.id, nodes: flowVersions.nodes, edges: flowVersions.edges })
      .from(flowVersions)
      .where(and(eq(flowVersions.flowId, flow.id), eq(flowVersions.workspaceId, run.workspaceId), eq(flowVersions.version, wanted)));
    if (!row) throw new AppError("NOT_FOUND", `Version ${wanted} of this flow not found`, run.version != null ? { path: "version" } : undefined);
    graph = { nodes: row.nodes, edges: row.edges };
    flowVersionId = row.id;
  }
  requireValidInput(requireValidGraph(graph), run.input);
  return deps.executions.create(
    {
      workspaceId: run.workspaceId,
      flowId: flow.id,
      flowVersionId,
      graph,
      input: run.input ?? null,
      triggerType: run.triggerType,
      createdBy: run.createdBy ?? null,
      idempotencyKey: run.idempotencyKey ?? null,
      wakeAt: run.wakeAt ?? null,
    },
    run.tx,
  );
}
