import { z } from "zod";

export const Verdict = z.enum(["correct", "incorrect", "partial"]);
export type Verdict = z.infer<typeof Verdict>;

/** A category name: trimmed, 1-64 characters, compared case-sensitively. */
export const CategoryName = z.string().trim().min(1).max(64);

export const ListDecisionsInput = z.object({
  flowId: z.uuid().optional(),
  nodeId: z.string().min(1).max(200).optional(),
  executionId: z.uuid().optional(),
  /** `none` = no feedback yet. */
  feedback: z.enum(["none", "correct", "incorrect", "partial"]).optional(),
  category: CategoryName.optional(),
  /** Decided at or after. */
  from: z.coerce.date().optional(),
  /** Decided before. */
  to: z.coerce.date().optional(),
  /** `run` (default): decisions of runs; `test`: decisions of block test runs. */
  kind: z.enum(["run", "test"]).default("run"),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListDecisionsInput = z.infer<typeof ListDecisionsInput>;

export const DecisionIdInput = z.object({ decisionId: z.uuid() });
export type DecisionIdInput = z.infer<typeof DecisionIdInput>;

export const GiveFeedbackInput = z.object({
  decisionId: z.uuid(),
  verdict: Verdict,
  categories: z.array(CategoryName).max(20).default([]),
  /** What the answer should have been (any JSON, at most 64 kB). */
  correctedOutput: z
    .unknown()
    .optional()
    .refine((v) => v === undefined || JSON.stringify(v).length <= 65_536, "must be at most 64 kB of JSON"),
  comment: z.string().max(4000).optional(),
});
export type GiveFeedbackInput = z.infer<typeof GiveFeedbackInput>;
