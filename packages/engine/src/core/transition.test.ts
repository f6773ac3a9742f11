import { describe, expect, it } from "vitest";
import type { ExecutionStatus } from "./status";
import { allowedFrom, transition, type ExecutionCommand } from "./transition";

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

  it("names the statuses each command may start from, for the store's conditional update", () => {
    expect(allowedFrom("cancel")).toEqual(["pending", "running", "paused"]);
    expect(allowedFrom("resume")).toEqual(["paused"]);
    expect(allowedFrom("complete")).toEqual(["running"]);
  });

  it("emits the matching event and aborts in-flight work on cancel, fail and user pause", () => {
    const effects = (from: ExecutionStatus, c: ExecutionCommand) => {
      const r = transition(from, c);
      return r.ok ? r.effects : [];
    };
    expect(effects("pending", { type: "start" })).toEqual([{ type: "emit", event: { type: "execution_start" } }, { type: "schedule_ready_nodes" }]);
    expect(effects("running", { type: "cancel", by: "u1" })).toEqual([
      { type: "emit", event: { type: "execution_cancelled", by: "u1" } },
      { type: "abort_in_flight" },
    ]);
    expect(effects("running", { type: "pause", reason: "approval", nodeId: "a" })).toEqual([
      { type: "emit", event: { type: "execution_paused", reason: "approval", nodeId: "a" } },
    ]);
    expect(effects("running", { type: "pause", reason: "user" })).toContainEqual({ type: "abort_in_flight" });
    expect(effects("paused", { type: "resume" })[0]).toEqual({ type: "emit", event: { type: "execution_resumed" } });
  });
});
