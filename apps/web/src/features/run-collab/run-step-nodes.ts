import { blockTitle } from "@/features/flow-builder/blocks";
import type { RunStepNode } from "./run-collab";

/** The nodes of a run's pinned graph as step choices: id and the title the canvas shows. */
export function runStepNodes(graph: { nodes: unknown[] } | null | undefined): RunStepNode[] {
  return ((graph?.nodes ?? []) as Array<{ id: string; type: string; data?: { label?: string } }>).map((n) => ({
    id: n.id,
    label: blockTitle(n.data?.label, n.type),
  }));
}
