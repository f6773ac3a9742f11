/** The browser's IANA time zone (e.g. "Europe/Berlin"), "UTC" when it does not say. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * The IANA time zones this browser knows, for a select: always with "UTC" and with `current` (a
 * saved zone, or the browser's own, may be an alias the list leaves out).
 */
export function timeZoneOptions(current: string): string[] {
  const zones = new Set(Intl.supportedValuesOf("timeZone"));
  zones.add("UTC");
  if (current) zones.add(current);
  return [...zones].sort((a, b) => a.localeCompare(b));
}

/** A zone's current UTC offset, e.g. "GMT+01:00" (empty when the runtime does not say). */
export function zoneOffset(timeZone: string, at = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName");
    return part?.value === "GMT" ? "GMT+00:00" : (part?.value ?? "");
  } catch {
    return "";
  }
}

/** Whether this runtime knows `timeZone` as an IANA zone (or alias). */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** An instant as wall-clock time in `timeZone`, with the zone's abbreviation: "Sat, Nov 22, 14:05 CET". */
export function formatInZone(date: Date, timeZone: string): string {
  if (!isTimeZone(timeZone)) return date.toISOString();
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(date);
}
