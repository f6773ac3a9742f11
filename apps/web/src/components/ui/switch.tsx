import type { ComponentPropsWithRef } from "react";
import { cn } from "./cn";

/**
 * An on/off switch: a `<button role="switch" aria-checked>` (WAI-ARIA switch pattern), so Space and
 * Enter toggle it and screen readers announce "on"/"off". Label it with `aria-label` or a `<label htmlFor>`.
 */
export function Switch({
  checked,
  onCheckedChange,
  className,
  disabled,
  ...props
}: Omit<ComponentPropsWithRef<"button">, "onChange" | "type" | "role"> & { checked: boolean; onCheckedChange: (checked: boolean) => void }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      disabled={disabled}
      onClick={() => onCheckedChange(!checked)}
      className={cn(
        "relative inline-flex h-5 w-9 shrink-0 items-center rounded-full border border-transparent transition-colors",
        "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-50",
        checked ? "bg-primary" : "bg-muted-foreground/30",
        className,
      )}
      {...props}
    >
      <span
        aria-hidden
        className={cn("pointer-events-none block size-4 rounded-full bg-background shadow-sm transition-transform", checked ? "translate-x-4" : "translate-x-0.5")}
      />
    </button>
  );
}
