import type { Deps } from "../../lib/context";
import { parseInput } from "../../lib/validation";
import { nextSlots } from "./cron";
import { PreviewScheduleInput } from "./schemas";

/** The next five slots of a cron expression in a time zone (saved or not), as instants. */
export function previewSchedule(deps: Pick<Deps, "now">, { input }: { input: unknown }): { runs: Date[] } {
  const { cron, timezone, after } = parseInput(PreviewScheduleInput, input);
  return { runs: nextSlots(cron, timezone, after ?? deps.now(), 5) };
}
