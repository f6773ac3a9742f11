import type { ComponentPropsWithRef } from "react";
import { cn } from "./cn";

const variants = {
  neutral: "border-border bg-muted text-foreground",
  outline: "border-border text-muted-foreground",
  success: "border-success/30 bg-success/10 text-success",
  warning: "border-warning/40 bg-warning/15 text-foreground",
  destructive: "border-destructive/30 bg-destructive/10 text-destructive",
} as const;

export function Badge({ variant = "neutral", className, ...props }: ComponentPropsWithRef<"span"> & { variant?: keyof typeof variants }) {
  return (
    <span
      className={cn("inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap", variants[variant], className)}
      {...props}
    />
  );
}
