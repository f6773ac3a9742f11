import type { DbOrTx, Flow, FlowExecution, TriggerType } from "@weft/db";
import type { Deps } from "../../lib/context";
import { resolveBlockRefs } from "../blocks/resolve-block-refs";
import { findFlow } from "../flows/find-flow";
import { requireKnownVariables } from "../variables/require-known-variables";
import { requireValidGraph } from "./execution-access";
import { requireValidInput } from "./require-valid-input";
import { resolveRunGraph } from "./resolve-run-graph";

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
  /** Held: not run until released (NewExecution.held, a schedule's queued slot). */
  held?: boolean;
  /** The run's name and tags. */
  name?: string | null;
  tags?: string[];
  /** Join this transaction (e.g. with the webhook invocation or the schedule slot that starts it). */
  tx?: DbOrTx;
  /** Where the checked input came from, for the 400's path: `input` (default) or a webhook's `body`. */
  inputAt?: "input" | "body";
  /** The flow (live, of this workspace) when the caller already read it; its published graph too. */
  flow?: Flow;
  published?: { graph: { nodes: unknown[]; edges: unknown[] }; flowVersionId: string } | null;
  /** Direct dispatch: created running with this lease (Engine.lease); the caller adopts it once committed. */
  start?: { owner: string; leaseMs: number } | null;
};

/**
 * Every way a run starts (manual, API, webhook, schedule) comes through here: the flow's published
 * version (or `version`), else its draft (the draft when `draft` is set), pinned on the execution so
 * later edits never change it; the graph validated and the input checked against the source block's `inputSchema` (without `trigger`,
 * see inputForSchema) before anything is written (400s naming the node or field).
 */
export async function createRun(deps: Pick<Deps, "db" | "executions">, run: NewRun): Promise<FlowExecution> {
  const db = run.tx ?? deps.db;
  const flow = run.flow ?? (await findFlow(db, { workspaceId: run.workspaceId, flowId: run.flowId }));
  const chosen = run.draft
    ? { graph: { nodes: flow.nodes, edges: flow.edges }, flowVersionId: null }
    : run.published && run.version === undefined && run.published.flowVersionId
      ? run.published
      : await resolveRunGraph(db, { workspaceId: run.workspaceId, flow, version: run.version });
  // Saved blocks used by reference run the version pinned at publish, else (the draft) the latest.
  const { flowVersionId } = chosen;
  const graph = await resolveBlockRefs(db, { workspaceId: run.workspaceId, graph: chosen.graph });
  requireValidInput(requireValidGraph(graph), run.input, run.inputAt);
  await requireKnownVariables(db, { workspaceId: run.workspaceId, graph });
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
      held: run.held ?? false,
      name: run.name ?? null,
      tags: run.tags ?? [],
    },
    run.tx,
    run.start ?? undefined,
  );
}
