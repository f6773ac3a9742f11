"use client";

import { useId } from "react";
import { TriangleAlert } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { controlClasses } from "@/components/ui/input";
import { CopyButton } from "./copy-button";

/**
 * A secret shown once, right after the server made it (only its hash or ciphertext is stored): the
 * value with a copy button and a plain warning that it will not be shown again.
 */
export function ShownOnce({
  title,
  label,
  value,
  note,
  onDone,
  testId,
}: {
  title: string;
  /** What the value is, e.g. "Webhook URL" (its input's label, and the copy button's). */
  label: string;
  value: string;
  note?: string;
  onDone: () => void;
  testId: string;
}) {
  const id = useId();
  return (
    <div role="region" aria-labelledby={`${id}-title`} data-testid={testId} className="flex flex-col gap-2 rounded-md border border-warning/60 bg-warning/10 p-3">
      <div className="flex items-start gap-2">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
        <div className="flex flex-col gap-0.5">
          <p id={`${id}-title`} className="text-sm font-semibold">
            {title}
          </p>
          <p className="text-xs">Copy it now: it won't be shown again.{note ? ` ${note}` : ""}</p>
        </div>
      </div>
      <label htmlFor={`${id}-value`} className="sr-only">
        {label}
      </label>
      <textarea
        id={`${id}-value`}
        readOnly
        rows={3}
        value={value}
        onFocus={(event) => event.currentTarget.select()}
        className={cn(controlClasses, "h-auto resize-none py-2 font-mono text-xs break-all")}
        spellCheck={false}
        data-testid={`${testId}-value`}
      />
      <div className="flex items-start gap-2">
        <CopyButton text={value} what={label.toLowerCase()} />
        <Button type="button" variant="ghost" size="sm" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
