import { z } from "zod";
import { StepNodeId } from "../comments/schemas";

export const ListStepsInput = z.object({ executionId: z.uuid() });
export type ListStepsInput = z.infer<typeof ListStepsInput>;

export const stepLogTypes = ["input", "output", "events", "console", "summary"] as const;
export const StepLogsInput = z.object({
  executionId: z.uuid(),
  nodeId: StepNodeId,
  type: z.enum(stepLogTypes).default("summary"),
  /** Loop iteration path ("2", "2.0"); absent = the step outside loops. */
  iteration: z.string().regex(/^(\d+(\.\d+)*)?$/, "an iteration path like 2 or 2.0").default(""),
});
export type StepLogsInput = z.infer<typeof StepLogsInput>;
