"use client";

import { memo, useMemo } from "react";
import type { NodeProps } from "@xyflow/react";
import { cn } from "@/components/ui/cn";
import { BlockShell } from "./block-shell";
import { useFlowStore, type BuilderNode } from "./store";

/** One block on the builder's canvas: the shared block look, its selection and its validation problems. */
function BlockNodeView({ id, type, data, selected }: NodeProps<BuilderNode>) {
  const allProblems = useFlowStore((s) => s.problems);
  const problems = useMemo(() => allProblems.filter((p) => p.nodeId === id), [allProblems, id]);
  const invalid = problems.length > 0;

  return (
    <BlockShell
      id={id}
      type={type}
      label={data.label}
      config={data.config}
      data-testid={`block-${id}`}
      data-invalid={invalid || undefined}
      className={cn(selected ? "border-primary ring-2 ring-primary/30" : "border-border", invalid && "border-destructive ring-2 ring-destructive/40")}
    >
      {invalid ? (
        <ul className="mt-2 flex flex-col gap-1 border-t border-destructive/30 pt-1.5 text-[11px] text-destructive">
          {problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      ) : null}
    </BlockShell>
  );
}

export const BlockNode = memo(BlockNodeView);
