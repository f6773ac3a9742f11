"use client";

import { useRef, type KeyboardEvent, type ReactNode } from "react";
import { X } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { BlockIcon } from "./block-icons";
import { blockLabel, blockTitle } from "./blocks";
import type { BuilderNode } from "./store";

/**
 * The inspector's tabs, in order. This issue builds Config and Output. The block-test issue (13)
 * adds "test" (the block test panel) and the resilience issue (15) adds "settings" (retry, timeout,
 * phase, on failure, fallback chain): each adds its id here and its panel in `Inspector`'s caller
 * (flow-builder.tsx, `tabs`); nothing else changes.
 */
export const INSPECTOR_TABS = [
  { id: "config", label: "Config" },
  { id: "output", label: "Output" },
  { id: "test", label: "Test" },
] as const;
export type InspectorTab = (typeof INSPECTOR_TABS)[number]["id"];

/**
 * The right-hand inspector of the selected block: its icon, title and id, tabs (ARIA tabs: arrows
 * move between them) and a close button (closing deselects the block, so the canvas takes the room).
 */
export function Inspector({
  node,
  tab,
  onTab,
  onClose,
  tabs,
}: {
  node: BuilderNode;
  tab: InspectorTab;
  onTab: (tab: InspectorTab) => void;
  onClose: () => void;
  tabs: Record<InspectorTab, ReactNode>;
}) {
  const type = node.type ?? "";
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKeyDown = (event: KeyboardEvent) => {
    const at = INSPECTOR_TABS.findIndex((t) => t.id === tab);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = INSPECTOR_TABS[(at + step + INSPECTOR_TABS.length) % INSPECTOR_TABS.length]!;
    onTab(next.id);
    refs.current[next.id]?.focus();
  };
  return (
    <aside aria-label="Inspector" data-testid="inspector" className="flex w-[26rem] max-w-[45%] shrink-0 flex-col border-l border-border bg-card">
      <div className="flex items-start gap-2 border-b border-border px-3 py-2">
        <span className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-md bg-muted text-muted-foreground">
          <BlockIcon type={type} className="size-4" />
        </span>
        <div className="flex min-w-0 flex-1 flex-col">
          <h2 className="truncate text-sm font-semibold">{blockTitle(node.data.label, type)}</h2>
          <p className="truncate text-xs text-muted-foreground">
            {blockLabel(type)} · <span className="font-mono">{node.id}</span>
          </p>
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close the inspector"
          title="Close (Escape)"
          className="rounded-md p-1 text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
        >
          <X className="size-4" aria-hidden />
        </button>
      </div>
      <div role="tablist" aria-label="Block" className="flex gap-1 border-b border-border px-2" onKeyDown={onKeyDown}>
        {INSPECTOR_TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`inspector-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`inspector-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => onTab(t.id)}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-ring",
              tab === t.id ? "border-primary font-medium text-foreground" : "border-transparent text-muted-foreground hover:text-foreground",
            )}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`inspector-panel-${tab}`} aria-labelledby={`inspector-tab-${tab}`} className="min-h-0 flex-1 overflow-y-auto p-3">
        {tabs[tab]}
      </div>
    </aside>
  );
}
