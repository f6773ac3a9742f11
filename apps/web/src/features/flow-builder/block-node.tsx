"use client";

import { memo, useCallback, useMemo } from "react";
import { NodeToolbar, Position, type NodeProps } from "@xyflow/react";
import { CircleAlert, Copy, MoreHorizontal, Trash2 } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { BlockShell } from "./block-shell";
import { useBuilderActions } from "./builder-context";
import { blockTitle } from "./blocks";
import { useFlowStore, type BuilderNode } from "./store";
import { TriggerBadges } from "./trigger-badges";

const toolButton =
  "flex size-7 items-center justify-center rounded-md text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring";

/**
 * One block on the builder's canvas: the shared block look, a badge for its validation problems
 * (their text is in the problems panel and the badge's tooltip, never inside the card), a "+" on
 * every output, trigger badges on the Start block, and (selected) a toolbar to duplicate or delete it.
 */
function BlockNodeView({ id, type, data, selected }: NodeProps<BuilderNode>) {
  const actions = useBuilderActions();
  const allProblems = useFlowStore((s) => s.problems);
  const problems = useMemo(() => allProblems.filter((p) => p.nodeId === id), [allProblems, id]);
  const invalid = problems.length > 0;
  const title = blockTitle(data.label, type);
  const { canEdit, addAfter } = actions;
  const onAddAfter = useCallback((handle: string | null) => addAfter(id, handle), [addAfter, id]);

  return (
    <>
      {canEdit ? (
        <NodeToolbar isVisible={selected} position={Position.Top} align="end" className="flex gap-0.5 rounded-md border border-border bg-card p-0.5 shadow-sm">
          <button type="button" className={toolButton} aria-label={`Duplicate ${title}`} title="Duplicate (Mod+D)" onClick={() => actions.duplicate(id)}>
            <Copy className="size-3.5" aria-hidden />
          </button>
          <button type="button" className={cn(toolButton, "hover:text-destructive")} aria-label={`Delete ${title}`} title="Delete (Delete)" onClick={() => actions.remove(id)}>
            <Trash2 className="size-3.5" aria-hidden />
          </button>
          <button
            type="button"
            className={toolButton}
            aria-label={`More actions for ${title}`}
            title="More (Shift+F10)"
            onClick={(event) => {
              const box = event.currentTarget.getBoundingClientRect();
              actions.openMenu(id, { x: box.left, y: box.bottom + 4 });
            }}
          >
            <MoreHorizontal className="size-3.5" aria-hidden />
          </button>
        </NodeToolbar>
      ) : null}
      <BlockShell
        id={id}
        type={type}
        label={data.label}
        config={data.config}
        data-testid={`block-${id}`}
        data-invalid={invalid || undefined}
        className={cn(selected ? "border-primary ring-2 ring-primary/30" : "border-border", invalid && !selected && "border-destructive/60")}
        aside={
          invalid ? (
            <span
              data-testid={`problems-badge-${id}`}
              title={problems.map((p) => p.message).join("\n")}
              aria-label={`${problems.length} problem${problems.length === 1 ? "" : "s"}`}
              role="img"
              className="inline-flex shrink-0 items-center gap-0.5 rounded-full bg-destructive px-1.5 py-0.5 text-[10px] font-semibold text-white"
            >
              <CircleAlert className="size-3" aria-hidden />
              {problems.length}
            </span>
          ) : null
        }
        badges={type === "source" ? <TriggerBadges /> : null}
        onAddAfter={canEdit ? onAddAfter : undefined}
      />
    </>
  );
}

export const BlockNode = memo(BlockNodeView);
