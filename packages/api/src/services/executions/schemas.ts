import { executionStatuses } from "@weft/flow";
import { z } from "zod";

const ExecutionStatus = z.enum(executionStatuses);
const TriggerType = z.enum(["manual", "webhook", "schedule", "api"]);

export const StartExecutionInput = z.object({
  flowId: z.uuid(),
  /** The run input (checked against the source block's `inputSchema`). */
  input: z.unknown().optional(),
  /** A published version to run; default: the published version, else the draft. */
  version: z.number().int().positive().optional(),
  /** Run the draft as it is now, even when a version is published (the builder's Run); not with `version`. */
  draft: z.boolean().optional(),
});
export type StartExecutionInput = z.infer<typeof StartExecutionInput>;

export const ExecutionIdInput = z.object({ executionId: z.uuid() });
export type ExecutionIdInput = z.infer<typeof ExecutionIdInput>;

export const DecideApprovalInput = z.object({
  executionId: z.uuid(),
  comment: z.string().max(4000).optional(),
});
export type DecideApprovalInput = z.infer<typeof DecideApprovalInput>;

export const ListExecutionsInput = z.object({
  flowId: z.uuid().optional(),
  status: ExecutionStatus.optional(),
  triggerType: TriggerType.optional(),
  /** Created at or after. */
  createdFrom: z.coerce.date().optional(),
  /** Created before. */
  createdTo: z.coerce.date().optional(),
  /** An execution id prefix (hex digits and dashes) or part of the flow's name, case-insensitive. */
  search: z.string().trim().max(200).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListExecutionsInput = z.infer<typeof ListExecutionsInput>;

export const ListExecutionEventsInput = z.object({
  executionId: z.uuid(),
  fromIndex: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type ListExecutionEventsInput = z.infer<typeof ListExecutionEventsInput>;

/** Several executions of the workspace at once (the list's bulk actions): 1 to 100 ids, repeats ignored. */
export const ExecutionIdsInput = z.object({
  executionIds: z
    .array(z.uuid())
    .min(1, "Select at least one execution")
    .max(100, "At most 100 executions at once")
    .transform((ids) => [...new Set(ids)]),
});
export type ExecutionIdsInput = z.infer<typeof ExecutionIdsInput>;
