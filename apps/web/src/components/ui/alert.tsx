import type { ReactNode } from "react";
import { cn } from "./cn";

const variants = {
  error: "border-destructive/30 bg-destructive/10 text-destructive",
  warning: "border-warning/50 bg-warning/15 text-foreground",
  info: "border-border bg-muted text-foreground",
} as const;

/** A message box. Errors are announced (role="alert"); other variants are plain notes. */
export function Alert({
  variant = "info",
  title,
  children,
  className,
  id,
}: {
  variant?: keyof typeof variants;
  title?: string;
  children?: ReactNode;
  className?: string;
  id?: string;
}) {
  return (
    <div id={id} role={variant === "error" ? "alert" : undefined} className={cn("rounded-md border px-3 py-2 text-sm", variants[variant], className)}>
      {title ? <p className="font-medium">{title}</p> : null}
      {children ? <div className={title ? "mt-1" : undefined}>{children}</div> : null}
    </div>
  );
}
