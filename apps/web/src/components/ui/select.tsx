import type { ComponentPropsWithRef } from "react";
import { cn } from "./cn";
import { controlClasses } from "./input";

/** A styled native `<select>`: keyboard, screen reader and mobile behaviour come for free. */
export function Select({ className, children, ...props }: ComponentPropsWithRef<"select">) {
  return (
    <div className={cn("relative", className)}>
      <select className={cn(controlClasses, "appearance-none pr-8")} {...props}>
        {children}
      </select>
      <svg
        className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-muted-foreground"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
      >
        <path d="m6 9 6 6 6-6" />
      </svg>
    </div>
  );
}
