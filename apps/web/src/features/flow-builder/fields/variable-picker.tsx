"use client";

import { useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Braces } from "lucide-react";
import { Input } from "@/components/ui/input";
import type { Variable } from "../variables";

/**
 * The "{x}" button beside a template or code field: a searchable list of what is in scope (this
 * block's input, the run input, upstream outputs), grouped; picking one inserts it at the cursor
 * (`{{ nodes.x.output.y }}` in templates, `input.y` in code).
 */
export function VariablePicker({ variables, mode, onInsert, label }: { variables: readonly Variable[]; mode: "template" | "code"; onInsert: (text: string) => void; label: string }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const listId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const usable = useMemo(() => {
    const q = query.trim().toLowerCase();
    return variables.filter((v) => (mode === "code" ? v.code !== null : true) && (!q || `${v.group} ${v.label} ${v.template}`.toLowerCase().includes(q)));
  }, [variables, mode, query]);
  const groups = useMemo(() => [...new Set(usable.map((v) => v.group))], [usable]);
  const close = () => {
    setOpen(false);
    setQuery("");
    buttonRef.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  };
  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-label={`Insert a variable into ${label}`}
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        title="Insert a variable"
        onClick={() => setOpen(!open)}
        className="flex h-6 items-center gap-1 rounded-md border border-border px-1.5 text-xs text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
      >
        <Braces className="size-3.5" aria-hidden />
        Variables
      </button>
      {open ? (
        <div
          id={listId}
          onKeyDown={onKeyDown}
          data-testid="variable-picker"
          className="absolute top-7 right-0 z-30 flex max-h-80 w-72 flex-col gap-1 overflow-hidden rounded-md border border-border bg-card p-1.5 shadow-lg"
        >
          <Input autoFocus type="search" aria-label="Search variables" placeholder="Search variables" className="h-8" value={query} onChange={(e) => setQuery(e.target.value)} />
          <div className="min-h-0 overflow-y-auto">
            {usable.length === 0 ? <p className="px-1 py-2 text-xs text-muted-foreground">Nothing in scope matches.</p> : null}
            {groups.map((group) => (
              <div key={group} role="group" aria-label={group} className="py-1">
                <p className="px-1 text-[11px] font-medium text-muted-foreground uppercase">{group}</p>
                {usable
                  .filter((v) => v.group === group)
                  .map((v) => (
                    <button
                      key={v.template + v.label}
                      type="button"
                      onClick={() => {
                        onInsert(mode === "code" ? v.code! : v.template);
                        close();
                      }}
                      className="block w-full truncate rounded px-1.5 py-1 text-left font-mono text-xs hover:bg-accent focus-visible:bg-accent focus-visible:outline-none"
                      title={mode === "code" ? v.code! : v.template}
                    >
                      {v.label}
                    </button>
                  ))}
              </div>
            ))}
          </div>
        </div>
      ) : null}
    </div>
  );
}
