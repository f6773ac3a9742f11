"use client";

import { useState } from "react";
import { ChevronDown, ChevronUp, CircleAlert, CircleCheck } from "lucide-react";
import type { FlowProblem } from "@weft/flow";
import { cn } from "@/components/ui/cn";
import { blockTitle } from "./blocks";
import type { BuilderNode } from "./store";

/**
 * The result of Validate, floating over the bottom-left of the canvas (it never moves the canvas).
 * Each problem is named by its block's label; clicking it selects the block and focuses the field.
 */
export function ProblemsPanel({
  problems,
  ok,
  nodes,
  onPick,
  onDismiss,
}: {
  problems: readonly FlowProblem[];
  ok: boolean;
  nodes: readonly BuilderNode[];
  onPick: (problem: FlowProblem) => void;
  onDismiss: () => void;
}) {
  const [open, setOpen] = useState(true);
  const titleOf = (id: string | undefined) => {
    const node = id ? nodes.find((n) => n.id === id) : undefined;
    return node ? blockTitle(node.data.label, node.type ?? "") : id ? id : "Flow";
  };
  return (
    <section
      aria-label="Problems"
      data-testid="problems-panel"
      className="absolute bottom-3 left-3 z-10 flex max-h-[40%] w-96 max-w-[calc(100%-1.5rem)] flex-col overflow-hidden rounded-lg border border-border bg-card shadow-lg"
    >
      <div className="flex items-center gap-2 border-b border-border px-3 py-2 text-sm">
        {ok ? <CircleCheck className="size-4 text-success" aria-hidden /> : <CircleAlert className="size-4 text-destructive" aria-hidden />}
        <h2 className="flex-1 font-medium" role="status">
          {ok ? "The flow is valid." : `${problems.length} problem${problems.length === 1 ? "" : "s"}`}
        </h2>
        {!ok ? (
          <button
            type="button"
            className="rounded-md p-1 text-muted-foreground hover:bg-accent"
            aria-label={open ? "Collapse the problems" : "Expand the problems"}
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            {open ? <ChevronDown className="size-4" aria-hidden /> : <ChevronUp className="size-4" aria-hidden />}
          </button>
        ) : null}
        <button type="button" className="rounded-md px-1.5 py-0.5 text-xs text-muted-foreground hover:bg-accent" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      {!ok && open ? (
        <ul className="min-h-0 overflow-y-auto py-1">
          {problems.map((problem, i) => (
            <li key={i}>
              <button
                type="button"
                onClick={() => onPick(problem)}
                data-testid="problem"
                className={cn("flex w-full flex-col items-start gap-0.5 px-3 py-1.5 text-left text-sm hover:bg-accent focus-visible:bg-accent focus-visible:outline-none")}
              >
                <span className="font-medium">{titleOf(problem.nodeId)}</span>
                <span className="text-xs text-muted-foreground">{problem.message}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
