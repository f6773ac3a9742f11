"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * A date in the viewer's time zone. The server renders UTC; the client re-renders in local time
 * right after hydration (useSyncExternalStore's server snapshot), so there is no hydration mismatch.
 */
export function LocalTime({ value, fallback = "—" }: { value: Date | string | null | undefined; fallback?: string }) {
  const isClient = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  if (!value) return <span className="text-muted-foreground">{fallback}</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  const text = new Intl.DateTimeFormat(isClient ? undefined : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    ...(isClient ? {} : { timeZone: "UTC" }),
  }).format(date);
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()}>
      {text}
    </time>
  );
}
