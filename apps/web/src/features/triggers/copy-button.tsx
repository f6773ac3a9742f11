"use client";

import { useState } from "react";
import { Check, Copy } from "lucide-react";
import { Button, type ButtonSize, type ButtonVariant } from "@/components/ui/button";

/** Copies `text` to the clipboard; says so, or that copying is blocked (then the user selects it by hand). */
export function CopyButton({
  text,
  label = "Copy",
  what,
  variant = "outline",
  size = "sm",
  testId,
}: {
  text: string;
  label?: string;
  /** For screen readers: "Copy <what>". */
  what: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  testId?: string;
}) {
  const [state, setState] = useState<"copied" | "failed" | null>(null);
  return (
    <span className="inline-flex flex-col gap-1">
      <Button
        type="button"
        variant={variant}
        size={size}
        data-testid={testId}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setState("copied");
          } catch {
            setState("failed");
          }
        }}
      >
        {state === "copied" ? <Check aria-hidden /> : <Copy aria-hidden />}
        {state === "copied" ? "Copied" : label}
        <span className="sr-only"> {what}</span>
      </Button>
      <span role="status" className="text-xs text-muted-foreground empty:hidden">
        {state === "failed" ? "Copying is blocked here: select the text and copy it by hand." : ""}
      </span>
    </span>
  );
}
