import { z } from "zod";

/** A runner label: what `runsOn` of a step names (`linux`, `gpu`, `repo:web`). */
export const RunnerLabel = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,62}$/, "Labels are 1-63 letters, digits, '.', '_', ':', '/' or '-'");
export const RunnerLabels = z.array(RunnerLabel).max(20, "At most 20 labels");

export const CreateRegistrationTokenInput = z.object({
  /** Labels every runner registered with this token gets. */
  labels: RunnerLabels.default([]),
  /** How long the token may be exchanged (default one hour, at most a week). */
  expiresInMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
});
export type CreateRegistrationTokenInput = z.infer<typeof CreateRegistrationTokenInput>;

export const RegisterRunnerInput = z.object({
  token: z.string().min(1, "Send the registration token").max(200),
  name: z.string().trim().min(1, "Name the runner").max(80),
  labels: RunnerLabels.default([]),
  version: z.string().max(40).optional(),
  hostname: z.string().max(255).optional(),
});
export type RegisterRunnerInput = z.infer<typeof RegisterRunnerInput>;

export const RevokeRunnerInput = z.object({ runnerId: z.uuid() });
export type RevokeRunnerInput = z.infer<typeof RevokeRunnerInput>;

export const ClaimRunnerJobInput = z.object({
  /** Long-poll: wait up to this long for a job (0 = answer at once). */
  waitMs: z.number().int().min(0).max(60_000).default(25_000),
});
export type ClaimRunnerJobInput = z.infer<typeof ClaimRunnerJobInput>;

/** One streamed message of a running step. `text` is assistant text; the others are log lines. */
export const RunnerMessage = z.object({
  kind: z.enum(["text", "stdout", "stderr", "tool_use", "tool_result", "usage", "info", "error"]),
  text: z.string().max(64 * 1024),
});
export type RunnerMessage = z.infer<typeof RunnerMessage>;

export const AppendRunnerLogsInput = z.object({
  /** Chunk sequence number from 0; a chunk already received (a retried POST) is dropped. */
  seq: z.number().int().min(0),
  messages: z.array(RunnerMessage).min(1).max(500),
});
export type AppendRunnerLogsInput = z.infer<typeof AppendRunnerLogsInput>;

export const FinishRunnerJobInput = z.discriminatedUnion("status", [
  z.object({ status: z.literal("completed"), output: z.record(z.string(), z.unknown()) }),
  z.object({
    status: z.literal("failed"),
    error: z.object({ code: z.string().min(1).max(60), message: z.string().max(4000), retryable: z.boolean().optional() }),
    output: z.record(z.string(), z.unknown()).optional(),
  }),
]);
export type FinishRunnerJobInput = z.infer<typeof FinishRunnerJobInput>;

export const WaitCancelInput = z.object({ waitMs: z.coerce.number().int().min(0).max(60_000).default(25_000) });
