import type { ComponentPropsWithRef } from "react";
import { cn } from "./cn";

export const controlClasses = cn(
  "h-9 w-full min-w-0 rounded-md border border-input bg-background px-3 text-sm shadow-xs transition-colors",
  "placeholder:text-muted-foreground",
  "focus-visible:border-ring focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-ring/50",
  "disabled:cursor-not-allowed disabled:opacity-50",
  "aria-invalid:border-destructive aria-invalid:focus-visible:outline-destructive/40",
);

export function Input({ className, ...props }: ComponentPropsWithRef<"input">) {
  return <input className={cn(controlClasses, className)} {...props} />;
}
