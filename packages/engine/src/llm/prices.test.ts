import { describe, expect, it } from "vitest";
import { parseRetryAfterMs, redactSecrets } from "./errors";
import { computeCostUsd, priceFor } from "./prices";

describe("price table", () => {
  it("knows the common OpenAI and Anthropic models", () => {
    for (const model of [
      "gpt-4o",
      "gpt-4o-mini",
      "gpt-4.1",
      "gpt-4.1-mini",
      "gpt-4.1-nano",
      "o3-mini",
      "claude-3-5-haiku",
      "claude-3-5-sonnet",
      "claude-sonnet-4",
      "claude-opus-4",
    ]) {
      const price = priceFor(model);
      expect(price, model).not.toBeNull();
      expect(price!.inputPerMTok).toBeGreaterThan(0);
      expect(price!.outputPerMTok).toBeGreaterThan(price!.inputPerMTok);
    }
  });

  it("matches dated snapshots and -latest aliases to their base model, never by prefix", () => {
    expect(priceFor("gpt-4o-2024-08-06")).toEqual(priceFor("gpt-4o"));
    expect(priceFor("gpt-4o-mini-2024-07-18")).toEqual(priceFor("gpt-4o-mini"));
    expect(priceFor("gpt-4o-mini")).not.toEqual(priceFor("gpt-4o"));
    expect(priceFor("claude-3-5-sonnet-20241022")).toEqual(priceFor("claude-3-5-sonnet"));
    expect(priceFor("claude-3-5-haiku-latest")).toEqual(priceFor("claude-3-5-haiku"));
    expect(priceFor("claude-sonnet-4-20250514")).toEqual(priceFor("claude-sonnet-4"));
    expect(priceFor("GPT-4o")).toEqual(priceFor("gpt-4o"));
  });

  it("an unknown model has no price: cost null, never 0", () => {
    expect(priceFor("llama3.1:8b")).toBeNull();
    expect(priceFor("gpt-4o-turbo-ultra")).toBeNull();
    expect(priceFor("ft:gpt-4o-mini:acme::abc123")).toBeNull();
    expect(priceFor("toString")).toBeNull();
    expect(computeCostUsd("llama3.1:8b", { inputTokens: 100, outputTokens: 100 })).toBeNull();
  });

  it("computes the cost in USD from tokens", () => {
    expect(computeCostUsd("gpt-4o", { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(12.5);
    expect(computeCostUsd("gpt-4o-2024-08-06", { inputTokens: 1000, outputTokens: 200 })).toBe(0.0045);
    expect(computeCostUsd("claude-3-5-sonnet-20241022", { inputTokens: 0, outputTokens: 0 })).toBe(0);
  });
});

describe("error helpers", () => {
  it("parses Retry-After seconds, dates and retry-after-ms", () => {
    expect(parseRetryAfterMs({ "retry-after": "7" })).toBe(7000);
    expect(parseRetryAfterMs({ "Retry-After": "1.5" })).toBe(1500);
    expect(parseRetryAfterMs({ "retry-after": "7", "retry-after-ms": "250" })).toBe(250);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfterMs({ "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }, now)).toBe(30_000);
    expect(parseRetryAfterMs({ "retry-after": "soon" })).toBeUndefined();
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
  });

  it("redacts the key and key-shaped strings", () => {
    const key = "my-very-secret-key";
    expect(redactSecrets(`bad key ${key}!`, key)).toBe("bad key [REDACTED]!");
    expect(redactSecrets("Authorization: Bearer abcdefghijklmnop", "x")).toBe("Authorization: Bearer [REDACTED]");
    expect(redactSecrets("key sk-proj-abcdefghijkl is wrong", undefined)).toBe("key sk-[REDACTED] is wrong");
  });
});
