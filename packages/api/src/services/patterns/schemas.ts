import { z } from "zod";

const Json = z.unknown().refine((v) => v === undefined || JSON.stringify(v).length <= 65_536, "must be at most 64 kB of JSON");

export const PatternFields = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(4000).default(""),
  flowId: z.uuid().nullish(),
  nodeId: z.string().min(1).max(200).nullish(),
  /** A JavaScript expression over `input` (the decision input), run in the sandbox. */
  when: z.string().trim().min(1).max(4000),
  /** The expected answer: a route handle (router) or an output value (AI: the object or the text). */
  expect: Json.optional(),
  exampleDecisionIds: z.array(z.uuid()).max(50).default([]),
});

export const CreatePatternInput = PatternFields;
export type CreatePatternInput = z.infer<typeof CreatePatternInput>;

export const UpdatePatternInput = PatternFields.partial().extend({ patternId: z.uuid() });
export type UpdatePatternInput = z.infer<typeof UpdatePatternInput>;

export const PatternIdInput = z.object({ patternId: z.uuid() });
export type PatternIdInput = z.infer<typeof PatternIdInput>;

export const EvaluatePatternInput = z.object({
  patternId: z.uuid(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type EvaluatePatternInput = z.infer<typeof EvaluatePatternInput>;

export const SuggestPatternsInput = z.object({
  flowId: z.uuid().optional(),
  /** Groups smaller than this are not proposed. */
  minCount: z.coerce.number().int().min(1).max(1000).default(2),
});
export type SuggestPatternsInput = z.infer<typeof SuggestPatternsInput>;
