"use client";

import { useMemo, useState } from "react";
import type { BlockType } from "@weft/flow";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";
import { BlockIcon } from "./block-icons";
import { matchesSearch, quickAddEntries } from "./blocks";

/**
 * Quick add: a searchable list of blocks in a small dialog (from "/", a double-click on the canvas or
 * a "+" on an output). Type to filter, arrows to move, Enter to add.
 */
export function QuickAdd({ open, title, onClose, onPick }: { open: boolean; title: string; onClose: () => void; onPick: (type: BlockType) => void }) {
  return (
    <Dialog open={open} onClose={onClose} title={title} description="Type to search, ↑ ↓ to choose, Enter to add." className="max-w-sm">
      <QuickAddList onPick={onPick} />
    </Dialog>
  );
}

function QuickAddList({ onPick }: { onPick: (type: BlockType) => void }) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const entries = useMemo(() => quickAddEntries.filter((e) => matchesSearch(e, query)), [query]);
  const current = Math.min(active, Math.max(entries.length - 1, 0));
  return (
    <div className="flex flex-col gap-2">
      <Input
        autoFocus
        type="search"
        aria-label="Search blocks"
        role="combobox"
        aria-expanded
        aria-controls="quick-add-list"
        aria-activedescendant={entries[current] ? `quick-add-${entries[current].type}` : undefined}
        placeholder="Search blocks"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive((current + 1) % Math.max(entries.length, 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((current - 1 + entries.length) % Math.max(entries.length, 1));
          } else if (e.key === "Enter" && entries[current]) {
            e.preventDefault();
            onPick(entries[current].type);
          }
        }}
      />
      <ul id="quick-add-list" role="listbox" aria-label="Blocks" className="flex max-h-80 flex-col gap-0.5 overflow-y-auto">
        {entries.length === 0 ? <li className="px-2 py-1 text-sm text-muted-foreground">No block matches.</li> : null}
        {entries.map((entry, i) => {
          return (
            <li
              key={entry.type}
              id={`quick-add-${entry.type}`}
              role="option"
              aria-selected={i === current}
              onMouseEnter={() => setActive(i)}
              onClick={() => onPick(entry.type)}
              className={cn("flex cursor-pointer items-start gap-2 rounded-md px-2 py-1.5", i === current && "bg-accent")}
            >
              <BlockIcon type={entry.type} className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
              <span className="flex min-w-0 flex-col">
                <span className="text-sm font-medium">{entry.label}</span>
                <span className="truncate text-xs text-muted-foreground">{entry.description}</span>
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
