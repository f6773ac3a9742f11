"use client";

import { useEffect, useRef, type KeyboardEvent } from "react";

export type NodeMenuItem = { label: string; shortcut?: string; destructive?: boolean; onSelect: () => void };

/**
 * A block's context menu (right click, the "…" button, Shift+F10 or the Menu key on the selected
 * block): a WAI-ARIA menu at a point of the window. Arrows move, Enter picks, Escape or a click
 * elsewhere closes; focus returns to where it was.
 */
export function NodeMenu({ at, label, items, onClose }: { at: { x: number; y: number }; label: string; items: NodeMenuItem[]; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    const away = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener("pointerdown", away, true);
    return () => {
      document.removeEventListener("pointerdown", away, true);
      previous?.focus?.();
    };
  }, [onClose]);
  const onKeyDown = (event: KeyboardEvent) => {
    const entries = [...(ref.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    if (event.key === "Escape" || event.key === "Tab") {
      event.preventDefault();
      onClose();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      entries[(at + step + entries.length) % entries.length]?.focus();
    }
  };
  return (
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      data-testid="node-menu"
      onKeyDown={onKeyDown}
      style={{ left: Math.min(at.x, window.innerWidth - 220), top: Math.min(at.y, window.innerHeight - 200) }}
      className="fixed z-50 flex w-52 flex-col rounded-md border border-border bg-card p-1 text-sm shadow-lg"
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          onClick={() => {
            onClose();
            item.onSelect();
          }}
          className={`flex items-center justify-between rounded px-2 py-1.5 text-left hover:bg-accent focus:bg-accent focus:outline-none ${item.destructive ? "text-destructive" : ""}`}
        >
          {item.label}
          {item.shortcut ? <span className="text-xs text-muted-foreground">{item.shortcut}</span> : null}
        </button>
      ))}
    </div>
  );
}
