// Shared pieces of the two inherited workflow shapes (steps, stages): failure settings, `{{ args.x }}`,
// runner block types and problems with paths into the source file. The mapping is documented in
// packages/flow/README.md ("Importing the inherited formats").
import { z } from "zod";
import { NodeId, type OnFailure, type RetryPolicyInput, isBlockType } from "../schema";

export interface SourceProblem {
  /** Path in the source document (`steps[1].type`). */
  path: (string | number)[];
  message: string;
}

/** `retries` (extra attempts), `retry_backoff` (ms before the first retry), `on_failure`, `timeout` (ms). */
export const FailureSettings = {
  on_failure: z.enum(["stop", "continue", "retry"]).optional(),
  retries: z.number().int().min(0).max(19).optional(),
  retry_backoff: z.number().int().min(0).max(3_600_000).optional(),
  timeout: z.number().int().positive().optional(),
};
export type FailureSettings = { on_failure?: "stop" | "continue" | "retry"; retries?: number; retry_backoff?: number; timeout?: number };

/** `on_failure: retry` without `retries` retries twice. */
const DEFAULT_RETRIES = 2;

export function failureData(settings: FailureSettings): { retry?: RetryPolicyInput; onFailure?: OnFailure; timeoutMs?: number } {
  const out: { retry?: RetryPolicyInput; onFailure?: OnFailure; timeoutMs?: number } = {};
  const retries = settings.retries ?? (settings.on_failure === "retry" ? DEFAULT_RETRIES : undefined);
  if (retries !== undefined && retries > 0) {
    const initialDelayMs = settings.retry_backoff ?? 1000;
    out.retry = { maxAttempts: retries + 1, backoff: "exponential", initialDelayMs, maxDelayMs: Math.max(30_000, initialDelayMs) };
  }
  if (settings.on_failure === "continue") out.onFailure = "continue";
  else if (settings.on_failure !== undefined) out.onFailure = "stop";
  if (settings.timeout !== undefined) out.timeoutMs = settings.timeout;
  return out;
}

export const StepId = NodeId;

/** Block types that run on self-hosted runners (the runners issue): present only once registered. */
export const RUNNER_TYPES = ["agent", "script"] as const;

/** A problem when `type` is a runner block this build does not have yet, else undefined. */
export function runnerTypeProblem(type: string, where: string, path: (string | number)[]): SourceProblem | undefined {
  if (!(RUNNER_TYPES as readonly string[]).includes(type) || isBlockType(type)) return undefined;
  return {
    path,
    message: `${where} has type "${type}", which runs on a self-hosted runner; this server has no "${type}" block yet`,
  };
}

/** Rewrites `{{ args.x }}` (the inherited run input) to `{{ nodes.<sourceId>.output.x }}`, deep. */
export function rewriteArgs(value: unknown, sourceId: string): unknown {
  if (typeof value === "string") {
    return value.replace(/\{\{\s*args(?=[\s.[}])/g, `{{ nodes.${sourceId}.output`);
  }
  if (Array.isArray(value)) return value.map((item) => rewriteArgs(item, sourceId));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewriteArgs(item, sourceId)]));
  }
  return value;
}

/** `base`, or `base-2`, `base-3`... whichever is not taken yet (and marks it taken). */
export function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** Zod issues as source problems. */
export function zodProblems(error: z.ZodError, prefix: (string | number)[] = []): SourceProblem[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
    // An unknown key is reported at the key itself (a typo is found by its line).
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...path, key], message: `"${key}" is not a known key here` }));
    }
    return [{ path, message: issue.message }];
  });
}
