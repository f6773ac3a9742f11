"use client";

import { memo, useMemo, type ComponentPropsWithoutRef, type ReactNode } from "react";
import { Handle, Position } from "@xyflow/react";
import { cn } from "@/components/ui/cn";
import { acceptsInput, blockTitle, outputHandles } from "./blocks";

export type BlockShellProps = Omit<ComponentPropsWithoutRef<"div">, "title"> & {
  id: string;
  type: string;
  label?: string;
  config?: unknown;
  /** Beside the title (e.g. a run status icon). */
  aside?: ReactNode;
};

/**
 * The look of a block on a canvas, shared by the builder (BlockNode) and the live view of a run
 * (LiveNode): title, type and id, its input handle and its (named) output handles. Callers add
 * their own classes, data attributes and content below.
 */
export const BlockShell = memo(function BlockShell({ id, type, label, config, aside, className, children, ...rest }: BlockShellProps) {
  const outputs = useMemo(() => outputHandles(type, config), [type, config]);
  const title = blockTitle(label, type);
  return (
    <div {...rest} className={cn("relative min-w-44 max-w-64 rounded-lg border bg-card px-3 py-2 text-card-foreground shadow-sm", className)}>
      {acceptsInput(type) ? (
        <Handle type="target" position={Position.Left} aria-label={`${title} input`} className="size-3! bg-muted-foreground!" />
      ) : null}
      <div className="flex items-start gap-2 pr-2">
        <div className="flex min-w-0 flex-1 flex-col gap-0.5">
          <span className="truncate text-sm font-medium">{title}</span>
          <span className="font-mono text-[11px] text-muted-foreground">
            {type} · {id}
          </span>
        </div>
        {aside}
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
      {children}
    </div>
  );
});
