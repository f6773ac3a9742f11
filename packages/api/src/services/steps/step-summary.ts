import type { StepView } from "./step-view";

export type StepSummary = {
  status: string;
  durationMs: number | null;
  attempts: number;
  reused: boolean;
  /** The first lines of the error, if it failed. */
  error: { code: string; lines: string[] } | null;
  /** The output's top-level keys (or `(value)` for a scalar or array) with their JSON sizes in bytes. */
  output: Array<{ key: string; bytes: number }>;
  tokensIn: number | null;
  tokensOut: number | null;
  costUsd: number | null;
  /** The same, as plain text lines. */
  text: string;
};

const ERROR_LINES = 5;
const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), "utf8");

/** A deterministic summary of one step: same step row and output, same summary, always. */
export function summarizeStep(step: StepView, output: unknown): StepSummary {
  const error = step.error ? { code: step.error.code, lines: step.error.message.split("\n").slice(0, ERROR_LINES) } : null;
  const keys =
    output !== null && typeof output === "object" && !Array.isArray(output)
      ? Object.keys(output).sort().map((key) => ({ key, bytes: jsonBytes((output as Record<string, unknown>)[key]) }))
      : output === undefined || (output === null && step.status !== "completed")
        ? []
        : [{ key: "(value)", bytes: jsonBytes(output) }];
  const m = step.metrics;
  const lines = [
    `status: ${step.status}${step.reused ? " (reused from an earlier run)" : ""}`,
    `duration: ${m.durationMs == null ? "-" : `${m.durationMs} ms`}`,
    `attempts: ${step.attempt}`,
    ...(error ? [`error: ${error.code}`, ...error.lines.map((l) => `  ${l}`)] : []),
    ...(keys.length ? ["output:", ...keys.map((k) => `  ${k.key}: ${k.bytes} bytes`)] : []),
    ...(m.tokensIn != null || m.tokensOut != null ? [`tokens: ${m.tokensIn ?? 0} in, ${m.tokensOut ?? 0} out`] : []),
    ...(m.tokensIn != null || m.costUsd != null ? [`cost: ${m.costUsd == null ? "unknown" : `$${m.costUsd.toFixed(6)}`}`] : []),
  ];
  return {
    status: step.status,
    durationMs: m.durationMs,
    attempts: step.attempt,
    reused: step.reused,
    error,
    output: keys,
    tokensIn: m.tokensIn,
    tokensOut: m.tokensOut,
    costUsd: m.costUsd,
    text: lines.join("\n"),
  };
}
