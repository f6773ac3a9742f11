// What a run gives back and sums up, from its nodes' states. Pure.

export type NodeMetrics = { tokensIn?: number | null; tokensOut?: number | null; costUsd?: number | null };
/** What these functions read of one node run (a block row of an iteration). */
export type NodeRun = { nodeId: string; iteration: string; status: string; output?: unknown; metrics?: NodeMetrics };

/** The run's output: its one completed sink's output, or an object keyed by sink id when several (or none). */
export function runOutput(sinkIds: readonly string[], run: (nodeId: string) => NodeRun | undefined): unknown {
  const done = sinkIds.filter((id) => run(id)?.status === "completed");
  const output = done.length === 1 ? run(done[0]!)?.output : Object.fromEntries(done.map((id) => [id, run(id)?.output]));
  return output ?? null;
}

/** A loop iteration's output: its exit node's output, or an object keyed by exit id when several. */
export const iterationOutput = runOutput;

/** Tokens and cost summed over the run's nodes; cost is unknown (null) when any AI node's cost was. */
export function runTotals(runs: Iterable<NodeRun>): { tokensIn: number; tokensOut: number; costUsd: string | null } {
  let tokensIn = 0;
  let tokensOut = 0;
  let cost = 0;
  let costKnown = true;
  for (const { metrics: m } of runs) {
    if (!m) continue;
    tokensIn += m.tokensIn ?? 0;
    tokensOut += m.tokensOut ?? 0;
    if (m.costUsd === null && (m.tokensIn != null || m.tokensOut != null)) costKnown = false;
    else if (m.costUsd != null) cost += Number(m.costUsd);
  }
  return { tokensIn, tokensOut, costUsd: costKnown ? cost.toFixed(8) : null };
}

/**
 * The node outputs a template sees from iteration `iteration` (`{{ nodes.x.output }}`): completed
 * nodes at the top level, in this iteration, or in an enclosing one; the innermost wins.
 */
export function visibleOutputs(runs: Iterable<NodeRun>, iteration: string): Record<string, { output: unknown }> {
  const nodes: Record<string, { output: unknown }> = {};
  const depthOf = (it: string) => (it ? it.split(".").length : 0);
  const best = new Map<string, number>();
  for (const run of runs) {
    if (run.status !== "completed") continue;
    const visible = run.iteration === "" || iteration === run.iteration || iteration.startsWith(`${run.iteration}.`);
    if (!visible || (best.get(run.nodeId) ?? -1) > depthOf(run.iteration)) continue;
    best.set(run.nodeId, depthOf(run.iteration));
    nodes[run.nodeId] = { output: run.output };
  }
  return nodes;
}
