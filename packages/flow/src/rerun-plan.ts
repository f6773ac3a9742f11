// planRerun: which steps a re-run from a node reuses and which it runs again. Pure: a graph and the
// steps the earlier run completed in, the decision out (used by the API and by the re-run dialog).
import { compileFlow } from "./compile";

export type RerunPlan = {
  /** The node the re-run starts from: `fromNodeId`, or the outermost loop holding it. */
  startNodeId: string;
  /** Nodes that run again: the start node and everything reachable from it (loop bodies included). */
  rerun: ReadonlySet<string>;
  /** Completed steps whose stored outputs are reused, as `{ nodeId, iteration }`. */
  reuse: Array<{ nodeId: string; iteration: string }>;
};

/**
 * A re-run from `fromNodeId` runs that node and everything after it; every other step the earlier run
 * completed keeps its stored output (also parallel branches that do not lead from it). A node inside a
 * loop body re-runs its outermost loop (iterations depend on each other). With `newInput` the source
 * runs again (its output is the run input). Only nodes of the same id and type in `graph` are reused.
 */
export function planRerun({
  graph,
  fromNodeId,
  completed,
  newInput = false,
}: {
  graph: unknown;
  fromNodeId: string;
  completed: ReadonlyArray<{ nodeId: string; iteration: string; blockType: string }>;
  newInput?: boolean;
}): RerunPlan {
  const flow = compileFlow(graph);
  let startNodeId = fromNodeId;
  for (let loop = flow.loopOf(fromNodeId); loop; loop = flow.loopOf(loop)) startNodeId = loop;
  const rerun = new Set<string>([startNodeId]);
  const stack = [startNodeId];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const child of flow.children(id)) {
      if (rerun.has(child.nodeId)) continue;
      rerun.add(child.nodeId);
      stack.push(child.nodeId);
    }
  }
  if (newInput) rerun.add(flow.sourceId);
  const reuse = completed
    .filter((step) => !rerun.has(step.nodeId) && flow.nodes.get(step.nodeId)?.type === step.blockType)
    .map(({ nodeId, iteration }) => ({ nodeId, iteration }));
  return { startNodeId, rerun, reuse };
}
