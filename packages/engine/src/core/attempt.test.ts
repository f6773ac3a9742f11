import { describe, expect, it } from "vitest";
import { attemptOutcome, pipelinesCompletion, startsAtOnce } from "./attempt";

describe("startsAtOnce", () => {
  it.each([
    ["function", 1, 50, false],
    ["source", 1, 50, false],
    ["router", 1, 50, false],
    ["function", 2, 50, true],
    ["function", 1, 0, true],
    ["http", 1, 50, true],
    ["ai", 1, 50, true],
    ["delay", 1, 50, true],
    ["loop", 1, 50, true],
    ["approval", 1, 50, true],
  ])("%s attempt %i (delay %i ms): %s", (type, attempt, delay, expected) => {
    expect(startsAtOnce(type, attempt, delay)).toBe(expected);
  });

  it("pipelines a quick block's completion only when its start was not committed on its own", () => {
    expect(pipelinesCompletion("function", false)).toBe(true);
    expect(pipelinesCompletion("function", true)).toBe(false);
    expect(pipelinesCompletion("http", false)).toBe(false);
  });
});

describe("attemptOutcome", () => {
  const base = { nodeId: "n", attempt: 1, retry: undefined, random: 0.5, maxOutputBytes: 100 };
  const boom = { code: "HTTP_503", message: "busy", retryable: true };
  it.each([
    ["a result within the limit completes", { ...base, result: { outputBytes: 100 } }, { type: "complete" }],
    [
      "a result over the limit fails without retry",
      { ...base, retry: { maxAttempts: 3 }, result: { outputBytes: 101 } },
      { type: "fail", error: { code: "OUTPUT_LIMIT", message: "The output of n is 101 bytes, over the limit of 100 bytes" } },
    ],
    ["a failure without a retry policy fails", { ...base, result: { failure: boom } }, { type: "fail", error: { code: "HTTP_503", message: "busy" } }],
    [
      "a retryable failure with attempts left retries",
      { ...base, retry: { maxAttempts: 3, initialDelayMs: 100 }, result: { failure: boom } },
      { type: "retry", delayMs: 75, nextAttempt: 2, error: { code: "HTTP_503", message: "busy" } },
    ],
    [
      "Retry-After wins over a shorter backoff",
      { ...base, retry: { maxAttempts: 3, initialDelayMs: 100 }, result: { failure: { ...boom, retryAfterMs: 2000 } } },
      { type: "retry", delayMs: 2000, nextAttempt: 2, error: { code: "HTTP_503", message: "busy" } },
    ],
    ["the last attempt fails", { ...base, attempt: 3, retry: { maxAttempts: 3 }, result: { failure: boom } }, { type: "fail", error: { code: "HTTP_503", message: "busy" } }],
    [
      "a failure that is not retryable fails at once",
      { ...base, retry: { maxAttempts: 3 }, result: { failure: { code: "BAD_INPUT", message: "no", retryable: false } } },
      { type: "fail", error: { code: "BAD_INPUT", message: "no" } },
    ],
  ])("%s", (_name, input, expected) => {
    expect(attemptOutcome(input as Parameters<typeof attemptOutcome>[0])).toEqual(expected);
  });
});
