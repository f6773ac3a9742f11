import { describe, expect, it } from "vitest";
import {
  activeExecutionStatuses,
  eventFromRow,
  executionEventTypes,
  executionStatuses,
  isActive,
  isNodeSettled,
  isTerminal,
  isTerminalEvent,
  parseExecutionEvent,
  terminalExecutionStatuses,
  type ExecutionEvent,
} from "./index";

/** One well-formed event of every type (the engine's shapes; see packages/engine/ARCHITECTURE.md). */
const examples: ExecutionEvent[] = [
  { type: "execution_start" },
  { type: "node_start", nodeId: "a", blockType: "http", attempt: 1, iteration: "2.0" },
  { type: "node_stream", nodeId: "a", delta: "Hel" },
  { type: "node_stream", nodeId: "a", logs: [{ level: "warn", message: "careful", at: 3.5 }] },
  { type: "node_complete", nodeId: "a", output: { ok: true }, durationMs: 12, metrics: { tokensIn: 10, tokensOut: 5, costUsd: 0.00012, ttftMs: 80, tokensPerSecond: 40 } },
  { type: "node_complete", nodeId: "gate", output: { approved: true, by: null, comment: null } },
  { type: "node_complete", nodeId: "a", output: 1, reused: true, fromExecutionId: "e1" },
  { type: "node_error", nodeId: "a", attempt: 2, error: { code: "HTTP_500", message: "boom" } },
  { type: "node_error", nodeId: "gate", error: { code: "APPROVAL_TIMEOUT", message: "late" } },
  { type: "node_skipped", nodeId: "b", reason: "no branch leads here" },
  { type: "node_retry", nodeId: "a", attempt: 1, nextAttempt: 2, delayMs: 100, error: { code: "NETWORK", message: "reset" } },
  { type: "node_retry", nodeId: "a", attempt: 1, nextAttempt: 2, delayMs: 0, error: { code: "RATE_LIMITED", message: "429" }, reason: "fallback", model: "gpt-x", metrics: { costUsd: null } },
  { type: "approval_requested", nodeId: "gate", message: "Ship?", timeoutMs: 60_000 },
  { type: "execution_paused", reason: "approval", nodeId: "gate" },
  { type: "execution_resumed" },
  { type: "execution_resumed", fromNodeId: "a" },
  { type: "execution_complete", output: null },
  { type: "execution_error", error: { code: "NODE_FAILED", message: "boom", nodeId: "a" } },
  { type: "execution_cancelled", by: null },
  { type: "comment_added", commentId: "c1", kind: "system", body: "breaker open: fell back to model Y", nodeId: "a" },
  { type: "artifact_added", artifactId: "f1", name: "report.pdf", contentType: "application/pdf", size: 1024, sha256: "ab" },
  { type: "phase_changed", phase: "review", previous: null },
];

describe("ExecutionEvent", () => {
  it("accepts one event of every type, unchanged", () => {
    expect(new Set(examples.map((e) => e.type))).toEqual(new Set(executionEventTypes));
    for (const event of examples) {
      const parsed = parseExecutionEvent(JSON.parse(JSON.stringify(event)));
      expect(parsed.success, JSON.stringify(event)).toBe(true);
      expect(parsed.data).toEqual(event);
    }
  });

  it.each([
    ["an unknown type", { type: "node_exploded", nodeId: "a" }, ["type"]],
    ["no type", { nodeId: "a" }, ["type"]],
    ["a node event without nodeId", { type: "node_start", blockType: "http", attempt: 1 }, ["nodeId"]],
    ["an empty nodeId", { type: "node_skipped", nodeId: "", reason: "x" }, ["nodeId"]],
    ["attempt 0", { type: "node_start", nodeId: "a", blockType: "http", attempt: 0 }, ["attempt"]],
    ["a string attempt", { type: "node_error", nodeId: "a", attempt: "2", error: { code: "X", message: "y" } }, ["attempt"]],
    ["an error without a code", { type: "node_error", nodeId: "a", error: { message: "y" } }, ["error", "code"]],
    ["a non-numeric cost", { type: "node_complete", nodeId: "a", output: 1, metrics: { costUsd: "free" } }, ["metrics", "costUsd"]],
    ["a numeric iteration", { type: "node_start", nodeId: "a", blockType: "loop", attempt: 1, iteration: 2 }, ["iteration"]],
    ["an unknown pause reason", { type: "execution_paused", reason: "lunch" }, ["reason"]],
    ["a cancel without by", { type: "execution_cancelled" }, ["by"]],
    ["a negative artifact size", { type: "artifact_added", artifactId: "f", name: "n", contentType: "t", size: -1 }, ["size"]],
    ["a comment of an unknown kind", { type: "comment_added", commentId: "c", kind: "robot", body: "hi" }, ["kind"]],
  ])("rejects %s, naming the field", (_name, value, path) => {
    const parsed = parseExecutionEvent(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(path);
  });

  it("reads the legacy shapes stored before the contract: a decimal-string cost, bare-string log lines", () => {
    const parsed = eventFromRow({ type: "node_complete", data: { nodeId: "a", output: "hi", metrics: { costUsd: "0.00012000", tokensIn: 3 } } });
    expect(parsed.data).toEqual({ type: "node_complete", nodeId: "a", output: "hi", metrics: { costUsd: 0.00012, tokensIn: 3 } });
    expect(parseExecutionEvent({ type: "node_stream", nodeId: "a", logs: ["hello"] }).data).toEqual({ type: "node_stream", nodeId: "a", logs: [{ level: "log", message: "hello" }] });
  });

  it("takes the type from the row's column, not from the data", () => {
    expect(eventFromRow({ type: "execution_start", data: { type: "node_exploded" } }).data).toEqual({ type: "execution_start" });
    expect(eventFromRow({ type: "execution_complete", data: null }).success).toBe(false);
  });
});

describe("status predicates", () => {
  it("split the execution statuses into terminal and active, with nothing left over", () => {
    expect(executionStatuses.filter(isTerminal)).toEqual([...terminalExecutionStatuses]);
    expect(executionStatuses.filter(isActive)).toEqual([...activeExecutionStatuses]);
    expect(executionStatuses.filter((s) => isTerminal(s) === isActive(s))).toEqual([]);
    expect([isTerminal("weird"), isActive("weird")]).toEqual([false, false]);
  });

  it("know the terminal events and settled blocks", () => {
    expect(executionEventTypes.filter((t) => isTerminalEvent(t))).toEqual(["execution_complete", "execution_error", "execution_cancelled"]);
    expect(isTerminalEvent({ type: "execution_cancelled" })).toBe(true);
    expect(["pending", "running", "completed", "failed", "skipped"].filter(isNodeSettled)).toEqual(["completed", "failed", "skipped"]);
  });
});
