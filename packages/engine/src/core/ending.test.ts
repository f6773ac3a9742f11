import { describe, expect, it } from "vitest";
import { isTransientStoreError, planEnding, type EndCause } from "./ending";

const NOW = 1_000_000;

describe("planEnding", () => {
  // Every cause: what is committed, which rows of in-flight nodes change, whether totals are summed.
  const table: Array<[string, EndCause, unknown]> = [
    ["completed", { type: "completed", output: { a: 1 } }, { command: { type: "complete", output: { a: 1 } }, set: { output: { a: 1 } }, inFlight: null, totals: true, report: false }],
    ["lease lost", { type: "lease_lost" }, { type: "leave" }],
    ["transient store failure", { type: "store_failure", transient: true }, { type: "hand_back" }],
    [
      "permanent store failure",
      { type: "store_failure", transient: false },
      { command: { type: "fail", error: { code: "INTERNAL" } }, set: { error: { code: "INTERNAL" } }, totals: true, report: true },
    ],
    ["cancel", { type: "cancel", by: "u1" }, { command: { type: "cancel", by: "u1" }, set: { requestedCommand: null }, inFlight: "failed", totals: true }],
    ["user pause", { type: "pause" }, { command: { type: "pause", reason: "user" }, set: { requestedCommand: null }, inFlight: "pending", totals: false }],
    [
      "approval with a deadline",
      { type: "approval", nodeId: "ok", iteration: "2", message: "Ship?", timeoutMs: 500 },
      {
        command: { type: "pause", reason: "approval", nodeId: "ok" },
        events: [{ type: "approval_requested", nodeId: "ok", iteration: "2", message: "Ship?", timeoutMs: 500 }],
        set: { wakeAt: NOW + 500 },
        inFlight: null,
      },
    ],
    [
      "approval without a deadline",
      { type: "approval", nodeId: "ok", iteration: "", message: "Ship?" },
      { events: [{ type: "approval_requested", nodeId: "ok", message: "Ship?" }], set: { wakeAt: null } },
    ],
    [
      "node failed",
      { type: "node_failed", error: { code: "HTTP_500", message: "boom", nodeId: "h" } },
      { command: { type: "fail", error: { code: "HTTP_500", message: "boom", nodeId: "h" } }, set: { error: { code: "HTTP_500", nodeId: "h" } }, totals: true, report: false },
    ],
    ["run error", { type: "run_error", code: "EVENT_LIMIT", message: "cap" }, { command: { type: "fail", error: { code: "EVENT_LIMIT", message: "cap" } }, report: false }],
    ["unexpected", { type: "unexpected" }, { command: { type: "fail", error: { code: "INTERNAL" } }, report: true }],
  ];
  it.each(table)("%s", (_name, cause, expected) => {
    expect(planEnding(cause, NOW)).toMatchObject(expected as object);
  });
});

describe("isTransientStoreError", () => {
  const pg = (code: string) => Object.assign(new Error("pg"), { code });
  it.each([
    ["postgres.js connection closed", pg("CONNECTION_CLOSED"), true],
    ["postgres.js connect timeout", pg("CONNECT_TIMEOUT"), true],
    ["refused socket", pg("ECONNREFUSED"), true],
    ["reset socket", pg("ECONNRESET"), true],
    ["admin shutdown (restart)", pg("57P01"), true],
    ["cannot connect now (starting up)", pg("57P03"), true],
    ["connection failure class 08", pg("08006"), true],
    ["too many connections", pg("53300"), true],
    ["serialization failure", pg("40001"), true],
    ["deadlock", pg("40P01"), true],
    ["unique violation", pg("23505"), false],
    ["syntax error", pg("42601"), false],
    ["undefined function", pg("42883"), false],
    ["no code", new Error("x"), false],
    ["not an error", "CONNECTION_CLOSED", false],
    ["null", null, false],
    ["wrapped in a cause", new Error("store write failed", { cause: pg("CONNECTION_CLOSED") }), true],
    ["one of several connect attempts", new AggregateError([new Error("a"), pg("ECONNREFUSED")]), true],
  ])("%s", (_name, error, transient) => {
    expect(isTransientStoreError(error)).toBe(transient);
  });
});
