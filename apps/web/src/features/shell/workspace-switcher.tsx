"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { Check, ChevronsUpDown, Plus } from "lucide-react";
import { cn } from "@/components/ui/cn";

type WorkspaceItem = { id: string; name: string; role: string };

/**
 * The current workspace and a disclosure listing the others (links, so each is a real URL), plus
 * "Create workspace". Closes on Escape, on a click outside and when focus leaves it.
 */
export function WorkspaceSwitcher({ current, workspaces }: { current: WorkspaceItem; workspaces: WorkspaceItem[] }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [open]);

  return (
    <div
      ref={rootRef}
      className="relative"
      onBlur={(event) => {
        if (open && !event.currentTarget.contains(event.relatedTarget)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((value) => !value)}
        className="flex w-full items-center gap-2 rounded-md border border-border bg-background px-2.5 py-2 text-left text-sm shadow-xs hover:bg-accent focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
      >
        <WorkspaceAvatar name={current.name} />
        <span className="flex min-w-0 flex-1 flex-col">
          <span className="sr-only">Workspace: </span>
          <span className="truncate font-medium">{current.name}</span>
          <span className="text-xs text-muted-foreground capitalize">{current.role}</span>
        </span>
        <ChevronsUpDown className="size-4 shrink-0 text-muted-foreground" aria-hidden />
        <span className="sr-only">Switch workspace</span>
      </button>
      <div
        id={listId}
        hidden={!open}
        className="absolute inset-x-0 top-full z-20 mt-1 rounded-md border border-border bg-card p-1 text-card-foreground shadow-lg"
      >
        <p className="px-2 pt-1.5 pb-1 text-xs font-medium text-muted-foreground">Workspaces</p>
        <ul className="max-h-72 overflow-y-auto">
          {workspaces.map((workspace) => {
            const isCurrent = workspace.id === current.id;
            return (
              <li key={workspace.id}>
                <Link
                  href={`/w/${workspace.id}`}
                  aria-current={isCurrent ? "page" : undefined}
                  onClick={() => setOpen(false)}
                  className={cn(
                    "flex items-center gap-2 rounded-sm px-2 py-1.5 text-sm hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring",
                    isCurrent && "font-medium",
                  )}
                >
                  <WorkspaceAvatar name={workspace.name} small />
                  <span className="min-w-0 flex-1 truncate">{workspace.name}</span>
                  {isCurrent ? (
                    <>
                      <Check className="size-4 shrink-0" aria-hidden />
                      <span className="sr-only">(current)</span>
                    </>
                  ) : null}
                </Link>
              </li>
            );
          })}
        </ul>
        <div className="mt-1 border-t border-border pt-1">
          <Link
            href="/onboarding"
            onClick={() => setOpen(false)}
            className="flex items-center gap-2 rounded-sm px-2 py-1.5 text-sm hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
          >
            <Plus className="size-4 text-muted-foreground" aria-hidden />
            Create workspace
          </Link>
        </div>
      </div>
    </div>
  );
}

function WorkspaceAvatar({ name, small = false }: { name: string; small?: boolean }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        "flex shrink-0 items-center justify-center rounded-md bg-primary font-semibold text-primary-foreground uppercase",
        small ? "size-5 text-[10px]" : "size-8 text-sm",
      )}
    >
      {name.trim().charAt(0) || "W"}
    </span>
  );
}
