import { executionStatuses } from "@weft/flow";
import { z } from "zod";

const ExecutionStatus = z.enum(executionStatuses);
const TriggerType = z.enum(["manual", "webhook", "schedule", "api"]);
export const RunName = z.string().trim().min(1).max(200);
export const RunTags = z.array(z.string().trim().toLowerCase().min(1).max(50).regex(/^[^,\s]+$/, "a tag has no spaces or commas")).max(20);

export const StartExecutionInput = z.object({
  flowId: z.uuid(),
  /** The run input (checked against the source block's `inputSchema`). */
  input: z.unknown().optional(),
  /** A published version to run; default: the published version, else the draft. */
  version: z.number().int().positive().optional(),
  /** A name for the run and tags (searchable in the executions list). */
  name: RunName.optional(),
  tags: RunTags.optional(),
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
  /** An execution id prefix (hex digits and dashes), part of the flow's or the run's name, or a tag; case-insensitive. */
  search: z.string().trim().max(200).optional(),
  /** Runs carrying this tag. */
  tag: z.string().trim().min(1).max(50).optional(),
  /** `flow` (default: runs of flows) or `test` (block tests, left out unless asked for). */
  kind: z.enum(["flow", "test"]).default("flow"),
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

export const RerunExecutionInput = z.object({
  executionId: z.uuid(),
  /** The step to start from: it and everything after it run again; other completed steps are reused. */
  fromNodeId: z.string().min(1).max(200),
  /** A new run input (the source runs again with it); default: the earlier run's input. */
  input: z.unknown().optional(),
  /** Run on the flow's current draft instead of the earlier run's pinned graph. */
  useDraft: z.boolean().default(false),
  name: RunName.optional(),
  tags: RunTags.optional(),
});
export type RerunExecutionInput = z.infer<typeof RerunExecutionInput>;

export const LabelExecutionInput = z.object({
  executionId: z.uuid(),
  /** The run's name; null clears it. */
  name: RunName.nullable().optional(),
  tags: RunTags.optional(),
});
export type LabelExecutionInput = z.infer<typeof LabelExecutionInput>;

/** Several executions of the workspace at once (the list's bulk actions): 1 to 100 ids, repeats ignored. */
export const ExecutionIdsInput = z.object({
  executionIds: z
    .array(z.uuid())
    .min(1, "Select at least one execution")
    .max(100, "At most 100 executions at once")
    .transform((ids) => [...new Set(ids)]),
});
export type ExecutionIdsInput = z.infer<typeof ExecutionIdsInput>;
