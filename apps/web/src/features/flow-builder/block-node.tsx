"use client";

import { memo, useMemo } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { cn } from "@/components/ui/cn";
import { acceptsInput, blockLabel, outputHandles } from "./blocks";
import { useFlowStore, type BuilderNode } from "./store";

/** One block on the canvas: label, type, its input handle and its (named) output handles. */
function BlockNodeView({ id, type, data, selected }: NodeProps<BuilderNode>) {
  const allProblems = useFlowStore((s) => s.problems);
  const problems = useMemo(() => allProblems.filter((p) => p.nodeId === id), [allProblems, id]);
  const outputs = useMemo(() => outputHandles(type, data.config), [type, data.config]);
  const title = data.label?.trim() || blockLabel(type);
  const invalid = problems.length > 0;

  return (
    <div
      data-testid={`block-${id}`}
      data-invalid={invalid || undefined}
      className={cn(
        "relative min-w-44 max-w-64 rounded-lg border bg-card px-3 py-2 text-card-foreground shadow-sm",
        selected ? "border-primary ring-2 ring-primary/30" : "border-border",
        invalid && "border-destructive ring-2 ring-destructive/40",
      )}
    >
      {acceptsInput(type) ? (
        <Handle type="target" position={Position.Left} aria-label={`${title} input`} className="size-3! bg-muted-foreground!" />
      ) : null}
      <div className="flex flex-col gap-0.5 pr-2">
        <span className="truncate text-sm font-medium">{title}</span>
        <span className="font-mono text-[11px] text-muted-foreground">
          {type} · {id}
        </span>
      </div>
      {outputs.length > 0 ? (
        <div className="mt-2 flex flex-col items-end gap-1.5">
          {outputs.map((handle) => (
            <div key={handle.id ?? "__default"} className="relative flex h-4 items-center">
              {handle.label ? <span className="mr-1 text-[11px] text-muted-foreground">{handle.label}</span> : null}
              <Handle
                type="source"
                position={Position.Right}
                id={handle.id ?? undefined}
                aria-label={`${title} output${handle.label ? ` ${handle.label}` : ""}`}
                style={{ right: -13 }}
                className="size-3! bg-primary!"
              />
            </div>
          ))}
        </div>
      ) : null}
      {invalid ? (
        <ul className="mt-2 flex flex-col gap-1 border-t border-destructive/30 pt-1.5 text-[11px] text-destructive">
          {problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export const BlockNode = memo(BlockNodeView);
