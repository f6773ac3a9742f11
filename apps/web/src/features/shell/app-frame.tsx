"use client";

import type { ReactNode } from "react";
import { usePathname } from "next/navigation";

/** Pages that take the whole window: the flow builder (`/w/<workspace>/flows/<flow>`). */
const FULL_BLEED = /^\/w\/[^/]+\/flows\/[^/]+\/?$/;

/**
 * The signed-in frame. On full-bleed pages (the builder) it sets `data-full-bleed`, and the shell
 * reacts with `group-data-[full-bleed]` classes: the sidebar collapses to an icon rail and the page
 * loses its column width and padding, so the canvas gets the window.
 */
export function AppFrame({ children }: { children: ReactNode }) {
  const fullBleed = FULL_BLEED.test(usePathname());
  return (
    <div className="group/frame flex min-h-dvh flex-col md:flex-row" data-full-bleed={fullBleed || undefined}>
      {children}
    </div>
  );
}
