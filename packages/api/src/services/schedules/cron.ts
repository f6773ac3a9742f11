import { Cron } from "croner";

/**
 * Cron expressions of schedules, evaluated by croner: five fields (minute precision) or a nickname
 * (`@hourly`, `@daily`, ...), in an IANA time zone. Every slot is an instant (UTC in the database).
 *
 * DST (croner 11, Vixie-cron rules), e.g. in Europe/Berlin:
 * - fixed-time expressions (one value each in minute and hour, e.g. `30 2 * * *`): a time inside the
 *   spring-forward gap runs at the first valid time after it, the same day (2026-03-29 02:30 does not
 *   exist: the slot is 03:00 CEST = 01:00Z); a time that occurs twice at fall-back runs once, at its
 *   first occurrence (2026-10-25 02:30 CEST = 00:30Z, not 02:30 CET);
 * - interval expressions (a wildcard, step, range or list in minute or hour, e.g. `*\/30 * * * *`):
 *   times inside the gap are skipped, and a repeated time runs on both occurrences (two distinct
 *   instants), so such a schedule keeps its rhythm in real time through both nights.
 */
function cron(expression: string, timezone: string): Cron {
  return new Cron(expression, { timezone, mode: "5-part", paused: true });
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;
const NAMES = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)$/i;

/**
 * Why `expression` is not a valid schedule expression, or null. Said in words a person can act on
 * ("the hour must be 0-23, not 25") rather than the parser's own text, whose numbers can be off.
 */
export function cronProblem(expression: string): string | null {
  const trimmed = expression.trim();
  if (!trimmed.startsWith("@")) {
    const parts = trimmed.split(/\s+/).filter(Boolean);
    if (parts.length !== 5) {
      return `use 5 parts (minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5") or a nickname such as @daily; this one has ${parts.length} part${parts.length === 1 ? "" : "s"}`;
    }
    for (const [i, part] of parts.entries()) {
      const field = FIELDS[i]!;
      for (const piece of part.split(",")) {
        const [range, step] = piece.split("/");
        if (step !== undefined && !/^[1-9][0-9]*$/.test(step)) return `the ${field.name} step "/${step}" must be a whole number of at least 1`;
        for (const value of (range ?? "").split("-")) {
          if (value === "*" || value === "?" || NAMES.test(value) || /^\d*[LW#]\d*$/i.test(value)) continue;
          if (!/^\d+$/.test(value)) return `the ${field.name} "${part}" is not a number, range (1-5), list (1,3) or step (*/15)`;
          const n = Number(value);
          if (n < field.min || n > field.max) return `the ${field.name} must be ${field.min}-${field.max}, not ${n}`;
        }
      }
    }
  }
  try {
    cron(expression, "UTC");
    return null;
  } catch {
    return `"${trimmed}" is not a cron expression this scheduler understands (five parts: minute hour day-of-month month day-of-week, or @hourly, @daily, @weekly, @monthly)`;
  }
}

/** Why `timezone` is not an IANA time zone this runtime knows, or null. */
export function timezoneProblem(timezone: string): string | null {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return null;
  } catch {
    return `Unknown time zone "${timezone}" (use an IANA name such as Europe/Berlin or UTC)`;
  }
}

/** The next `count` slots strictly after `after`. */
export function nextSlots(expression: string, timezone: string, after: Date, count: number): Date[] {
  return cron(expression, timezone).nextRuns(count, after);
}

/** The first slot strictly after `after`, or null when the expression never matches again. */
export function nextSlot(expression: string, timezone: string, after: Date): Date | null {
  return nextSlots(expression, timezone, after, 1)[0] ?? null;
}

/**
 * The newest `count` (at most) slots in [from, to], oldest first. Walks back from `to` and stops at
 * `from`, so the usual case (one slot due) costs two steps whatever the expression's period.
 */
export function slotsBetween(expression: string, timezone: string, from: Date, to: Date, count: number): Date[] {
  const c = cron(expression, timezone);
  const slots: Date[] = [];
  // croner's previousRuns is exclusive of its reference and works in whole seconds (slots are whole minutes).
  let before = new Date(to.getTime() + 1);
  while (slots.length < count) {
    const [slot] = c.previousRuns(1, before);
    if (!slot || slot.getTime() < from.getTime()) break;
    slots.push(slot);
    before = slot;
  }
  return slots.reverse();
}
