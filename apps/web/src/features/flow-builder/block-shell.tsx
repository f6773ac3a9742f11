"use client";

import { memo, useMemo, type ComponentPropsWithoutRef, type ReactNode } from "react";
import { Handle, Position } from "@xyflow/react";
import { Plus } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { BlockIcon } from "./block-icons";
import { acceptsInput, blockSummary, blockTitle, outputHandles } from "./blocks";

export type BlockShellProps = Omit<ComponentPropsWithoutRef<"div">, "title"> & {
  id: string;
  type: string;
  label?: string;
  config?: unknown;
  /** Beside the title (e.g. a run status icon, problem badges). */
  aside?: ReactNode;
  /** Under the summary (e.g. trigger badges on the Start block). */
  badges?: ReactNode;
  /** The builder: a "+" beside every output handle that adds the next block there. */
  onAddAfter?: (handle: string | null) => void;
};

/**
 * The look of a block on a canvas, shared by the builder (BlockNode) and the live view of a run
 * (LiveNode): icon, title and a one-line summary of its settings (model, URL, route count), its
 * input handle and its (named) output handles. Callers add their own classes, data attributes and
 * content below. Problems and statuses are badges, never inline text, so cards keep their size.
 * Handles are named by `title` only: they are plain divs (no role), where aria-label is not allowed
 * (axe: aria-prohibited-attr); the keyboard path to connecting is the "+" button beside each output.
 */
export const BlockShell = memo(function BlockShell({ id, type, label, config, aside, badges, onAddAfter, className, children, ...rest }: BlockShellProps) {
  const outputs = useMemo(() => outputHandles(type, config), [type, config]);
  const summary = useMemo(() => blockSummary(type, config), [type, config]);
  const title = blockTitle(label, type);
  return (
    <div {...rest} className={cn("relative w-56 rounded-lg border bg-card px-3 py-2 text-card-foreground shadow-sm", className)}>
      {acceptsInput(type) ? (
        <Handle type="target" position={Position.Left} title={`${title} input`} className="size-3! bg-muted-foreground!" />
      ) : null}
      <div className="flex items-start gap-2">
        <span className="mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-md bg-muted text-muted-foreground">
          <BlockIcon type={type} className="size-3.5" />
        </span>
        <div className="flex min-w-0 flex-1 flex-col">
          <span className="truncate text-sm font-medium" title={`${title} (${id})`}>
            {title}
          </span>
          {summary ? (
            <span className="truncate text-[11px] text-muted-foreground" data-testid="block-summary">
              {summary}
            </span>
          ) : null}
        </div>
        {aside}
      </div>
      {badges}
      {outputs.length > 0 ? (
        <div className="mt-1 flex flex-col items-end gap-1.5">
          {outputs.map((handle) => {
            const name = `${title} output${handle.label ? ` ${handle.label}` : ""}`;
            return (
              <div key={handle.id ?? "__default"} className="relative flex h-4 items-center">
                {handle.label ? <span className="mr-1 text-[11px] text-muted-foreground">{handle.label}</span> : null}
                <Handle type="source" position={Position.Right} id={handle.id ?? undefined} title={name} style={{ right: -13 }} className="size-3! bg-primary!" />
                {onAddAfter ? (
                  <button
                    type="button"
                    aria-label={`Add a block after ${name}`}
                    title="Add the next block"
                    data-testid={`add-after-${id}${handle.id ? `-${handle.id}` : ""}`}
                    onClick={(event) => {
                      event.stopPropagation();
                      onAddAfter(handle.id);
                    }}
                    className="nodrag nopan absolute -right-9 flex size-5 items-center justify-center rounded-full border border-border bg-card text-muted-foreground shadow-sm hover:border-primary hover:text-primary focus-visible:outline-2 focus-visible:outline-ring"
                  >
                    <Plus className="size-3" aria-hidden />
                  </button>
                ) : null}
              </div>
            );
          })}
        </div>
      ) : null}
      {children}
    </div>
  );
});
