"use client";

import { useMemo, useState } from "react";
import { Search } from "lucide-react";
import type { BlockType } from "@weft/flow";
import { Input } from "@/components/ui/input";
import { BlockIcon, paletteCategories } from "./block-icons";
import { matchesSearch, paletteEntries } from "./blocks";

export const DRAG_TYPE = "application/x-weft-block";

/**
 * The block palette: searchable, in categories, each block with its icon and one-line description.
 * Drag a block onto the canvas, or click it (or Enter) to add it in the middle of the view.
 */
export function BlockPalette({ onAdd }: { onAdd: (type: BlockType) => void }) {
  const [query, setQuery] = useState("");
  const groups = useMemo(
    () =>
      paletteCategories
        .map(({ category, label }) => ({ category, label, entries: paletteEntries.filter((e) => e.category === category && matchesSearch(e, query)) }))
        .filter((group) => group.entries.length > 0),
    [query],
  );
  return (
    <nav aria-label="Blocks" className="flex w-60 shrink-0 flex-col border-r border-border bg-muted/30" data-testid="palette">
      <div className="border-b border-border p-2">
        <div className="relative">
          <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-muted-foreground" aria-hidden />
          <Input
            type="search"
            aria-label="Search blocks"
            placeholder="Search blocks"
            className="pl-8"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              const first = groups[0]?.entries[0];
              if (e.key === "Enter" && first) {
                e.preventDefault();
                onAdd(first.type);
              }
            }}
          />
        </div>
      </div>
      <div className="flex min-h-0 flex-1 flex-col gap-3 overflow-y-auto p-2">
        {groups.length === 0 ? <p className="px-1 text-sm text-muted-foreground">No block matches “{query}”.</p> : null}
        {groups.map((group) => (
          <section key={group.category} aria-labelledby={`palette-${group.category}`} className="flex flex-col gap-1">
            <h2 id={`palette-${group.category}`} className="px-1 text-xs font-medium tracking-wide text-muted-foreground uppercase">
              {group.label}
            </h2>
            {group.entries.map((entry) => {
              return (
                <button
                  key={entry.type}
                  type="button"
                  draggable
                  data-block-type={entry.type}
                  onDragStart={(event) => {
                    event.dataTransfer.setData(DRAG_TYPE, entry.type);
                    event.dataTransfer.effectAllowed = "move";
                  }}
                  onClick={() => onAdd(entry.type)}
                  className="flex cursor-grab items-start gap-2 rounded-md border border-border bg-card px-2 py-1.5 text-left hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
                >
                  <span className="mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-md bg-muted text-muted-foreground">
                    <BlockIcon type={entry.type} className="size-3.5" />
                  </span>
                  <span className="flex min-w-0 flex-col">
                    <span className="text-sm font-medium">{entry.label}</span>
                    <span className="line-clamp-2 text-xs text-muted-foreground">{entry.description}</span>
                  </span>
                </button>
              );
            })}
          </section>
        ))}
      </div>
      <p className="border-t border-border px-3 py-2 text-xs text-muted-foreground">
        Drag or click to add. Press <kbd className="rounded border border-border bg-muted px-1 font-mono">/</kbd> on the canvas for quick add.
      </p>
    </nav>
  );
}
