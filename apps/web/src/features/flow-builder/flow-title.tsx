"use client";

import { useState } from "react";
import { cn } from "@/components/ui/cn";

/**
 * The flow's name in the builder header, editable in place: Enter or leaving the field keeps it
 * (saved with the flow), Escape puts it back. An empty name is not kept.
 */
export function FlowTitle({ name, canEdit, onRename }: { name: string; canEdit: boolean; onRename: (name: string) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  if (!canEdit) return <h1 className="truncate text-base font-semibold">{name}</h1>;
  const commit = () => {
    const next = draft?.trim();
    if (next && next !== name) onRename(next.slice(0, 200));
    setDraft(null);
  };
  return (
    <h1 className="min-w-0 text-base font-semibold">
      <input
        aria-label="Flow name"
        data-testid="flow-title"
        value={draft ?? name}
        maxLength={200}
        size={Math.max(8, Math.min((draft ?? name).length + 1, 40))}
        onChange={(e) => setDraft(e.target.value)}
        onFocus={(e) => e.currentTarget.select()}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") e.currentTarget.blur();
          if (e.key === "Escape") {
            setDraft(null);
            requestAnimationFrame(() => (document.activeElement as HTMLElement | null)?.blur());
          }
        }}
        className={cn(
          "max-w-full truncate rounded-md border border-transparent bg-transparent px-1.5 py-0.5 hover:border-border focus-visible:border-ring focus-visible:outline-2 focus-visible:outline-ring/50",
        )}
      />
    </h1>
  );
}
