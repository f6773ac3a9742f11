import { describe, expect, it } from "vitest";
import { backoffDelay, retryChoice } from "./retry";

describe("retry choice and backoff (pure)", () => {
  const policy = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000 };
  const cases: Array<{ name: string; failure: { retryable: boolean; retryAfterMs?: number }; attempt: number; policy?: typeof policy; random: number; expected: unknown }> = [
    { name: "no policy: one try only", failure: { retryable: true }, attempt: 1, random: 0.5, expected: { retry: false } },
    { name: "not retryable (4xx, validation): fails fast", failure: { retryable: false }, attempt: 1, policy, random: 0.5, expected: { retry: false } },
    { name: "attempt 1 of 3: retry after half to all of initialDelay", failure: { retryable: true }, attempt: 1, policy, random: 0, expected: { retry: true, delayMs: 50, nextAttempt: 2 } },
    { name: "attempt 2 of 3: the ceiling doubles", failure: { retryable: true }, attempt: 2, policy, random: 1, expected: { retry: true, delayMs: 200, nextAttempt: 3 } },
    { name: "attempt 3 of 3: no more tries", failure: { retryable: true }, attempt: 3, policy, random: 0.5, expected: { retry: false } },
    { name: "Retry-After is a minimum", failure: { retryable: true, retryAfterMs: 5_000 }, attempt: 1, policy, random: 1, expected: { retry: true, delayMs: 5_000, nextAttempt: 2 } },
  ];
  for (const c of cases) it(c.name, () => expect(retryChoice(c.failure, c.attempt, c.policy, c.random)).toEqual(c.expected));

  it("caps the backoff at maxDelay", () => {
    expect(backoffDelay(10, policy, 1)).toBe(1_000);
    expect(backoffDelay(10, policy, 0)).toBe(500);
    expect(backoffDelay(1, {}, 1)).toBe(500);
  });
});
