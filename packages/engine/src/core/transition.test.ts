import { describe, expect, it } from "vitest";
import type { ExecutionStatus } from "./status";
import { transition, type ExecutionCommand } from "./transition";

const statuses: ExecutionStatus[] = ["pending", "running", "paused", "completed", "failed", "cancelled"];
const commands: ExecutionCommand[] = [
  { type: "start" },
  { type: "pause", reason: "user" },
  { type: "resume" },
  { type: "complete", output: 1 },
  { type: "fail", error: { code: "X", message: "x" } },
  { type: "cancel" },
  { type: "retry_failed", fromNodeId: "n" },
];

// Every (status, command) pair: the allowed ones with their target, everything else refused.
const allowed: Record<string, ExecutionStatus> = {
  "pending/start": "running",
  "pending/cancel": "cancelled",
  "running/pause": "paused",
  "running/complete": "completed",
  "running/fail": "failed",
  "running/cancel": "cancelled",
  "paused/resume": "running",
  "paused/cancel": "cancelled",
  "paused/fail": "failed",
  "failed/retry_failed": "running",
};

describe("execution transitions", () => {
  const cases = statuses.flatMap((from) => commands.map((command) => [from, command] as const));
  it.each(cases)("%s + %o", (from, command) => {
    const result = transition(from, command);
    const expected = allowed[`${from}/${command.type}`];
    if (expected) {
      expect(result).toMatchObject({ ok: true, from, to: expected });
    } else {
      expect(result).toEqual({ ok: false, from, command: command.type, message: `Cannot ${command.type} an execution that is ${from}` });
    }
  });

  it("covers the whole table (10 allowed of 42)", () => {
    expect(cases).toHaveLength(42);
    expect(cases.filter(([from, c]) => transition(from, c).ok)).toHaveLength(10);
  });

  it("terminal statuses accept nothing but fix-and-continue of a failed run", () => {
    for (const from of ["completed", "cancelled"] as const) {
      for (const command of commands) expect(transition(from, command).ok).toBe(false);
    }
    // failed accepts only fix-and-continue
    expect(commands.filter((c) => transition("failed", c).ok).map((c) => c.type)).toEqual(["retry_failed"]);
  });

  it("appends the matching event with each status change", () => {
    const events = (from: ExecutionStatus, c: ExecutionCommand) => {
      const r = transition(from, c);
      return r.ok ? r.events : [];
    };
    expect(events("pending", { type: "start" })).toEqual([{ type: "execution_start" }]);
    expect(events("running", { type: "cancel", by: "u1" })).toEqual([{ type: "execution_cancelled", by: "u1" }]);
    expect(events("pending", { type: "cancel" })).toEqual([{ type: "execution_cancelled", by: null }]);
    expect(events("running", { type: "pause", reason: "approval", nodeId: "a" })).toEqual([{ type: "execution_paused", reason: "approval", nodeId: "a" }]);
    expect(events("running", { type: "pause", reason: "user" })).toEqual([{ type: "execution_paused", reason: "user" }]);
    expect(events("paused", { type: "resume" })).toEqual([{ type: "execution_resumed" }]);
    expect(events("running", { type: "complete", output: { a: 1 } })).toEqual([{ type: "execution_complete", output: { a: 1 } }]);
    expect(events("running", { type: "fail", error: { code: "X", message: "x", nodeId: "n" } })).toEqual([
      { type: "execution_error", error: { code: "X", message: "x", nodeId: "n" } },
    ]);
    expect(events("failed", { type: "retry_failed", fromNodeId: "n" })).toEqual([{ type: "execution_resumed", fromNodeId: "n" }]);
  });
});
