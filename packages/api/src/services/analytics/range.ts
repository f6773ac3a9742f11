import { AppError } from "../../lib/errors";

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;
/** Longest range one request may ask for. */
const MAX_RANGE_DAYS = 400;

/** The [from, to) range of an analytics request: `from` rounded down to the hour, 7 days by default. */
export function resolveRange(input: { from?: Date; to?: Date }, now: Date): { from: Date; to: Date } {
  const to = input.to ?? now;
  const start = input.from ?? new Date(to.getTime() - 7 * DAY_MS);
  const from = new Date(Math.floor(start.getTime() / HOUR_MS) * HOUR_MS);
  if (from.getTime() >= to.getTime()) throw new AppError("BAD_REQUEST", "from: must be before to", { path: "from" });
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new AppError("BAD_REQUEST", `to: the range may span at most ${MAX_RANGE_DAYS} days`, { path: "to" });
  }
  return { from, to };
}

/** USD as a number, or null when any call in the group had no known price. */
export const costOrNull = (known: string | number | null, unknownCalls: number) => (unknownCalls > 0 ? null : Number(known ?? 0));
