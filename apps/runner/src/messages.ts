/** A streamed message of a step, as the server's log chunk endpoint takes it. */
export type RunnerMessage = { kind: "text" | "stdout" | "stderr" | "tool_use" | "tool_result" | "usage" | "info" | "error"; text: string };

export type Permission = "default" | "plan" | "acceptEdits" | "bypassPermissions";

export type AgentPayload = {
  agent: "claude" | "codex" | "gemini";
  prompt: string;
  permission: Permission;
  model?: string;
  cwd?: string;
  timeoutMs: number;
};

/** What an agent CLI's stream told us, read line by line. */
export type AgentOutcome = {
  text: string;
  sessionId: string | null;
  usage: { inputTokens: number | null; outputTokens: number | null; cachedInputTokens?: number | null } | null;
  costUsd: number | null;
  /** The CLI reported a failure in its stream (besides its exit code). */
  error: string | null;
};

/** Reads one CLI's JSON lines: messages to stream, and the outcome so far. */
export type StreamParser = { line(raw: string): RunnerMessage[]; outcome(): AgentOutcome };

export type AgentAdapter = {
  /** The executable looked up on PATH. */
  command: string;
  /** Arguments of a non-interactive, machine-readable run (the prompt is one argument). */
  args(payload: AgentPayload): string[];
  parser(): StreamParser;
};

export const short = (value: unknown, max = 2_000): string => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)} …` : text;
};

export const parseJsonLine = (raw: string): Record<string, unknown> | null => {
  const trimmed = raw.trim();
  if (!trimmed.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

export const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
export const str = (value: unknown): string | null => (typeof value === "string" ? value : null);
export const obj = (value: unknown): Record<string, unknown> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
