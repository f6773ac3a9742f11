import { describe, expect, it } from "vitest";
import {
  HttpBlockedError,
  HttpInvalidUrlError,
  HttpNetworkError,
  HttpRedirectError,
  HttpTimeoutError,
  HttpTooLargeError,
  isRetryableStatus,
  parseRetryAfter,
} from "./errors";

describe("error classes", () => {
  it.each([
    [new HttpBlockedError("127.0.0.1", "loopback address"), "SSRF_BLOCKED", false],
    [new HttpInvalidUrlError("bad"), "HTTP_INVALID_URL", false],
    [new HttpTimeoutError("example.com", 100), "HTTP_TIMEOUT", true],
    [new HttpTooLargeError("example.com", 10), "HTTP_RESPONSE_TOO_LARGE", false],
    [new HttpRedirectError("loop"), "HTTP_TOO_MANY_REDIRECTS", false],
    [new HttpNetworkError("reset"), "HTTP_NETWORK", true],
  ])("%s has code %s, retryable %s", (error, code, retryable) => {
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });
});

describe("isRetryableStatus", () => {
  it.each([408, 425, 429, 500, 502, 503, 504])("retries %i", (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });
  it.each([200, 301, 400, 401, 403, 404, 409, 422, 501, 505])("does not retry %i", (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");

  it("reads seconds", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date", () => {
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", new Date(now))).toBe(30_000);
  });

  it("never returns a negative delay for a past date", () => {
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBe(0);
  });

  it.each([null, undefined, "", "soon", "-5", "1.5", "12abc"])("returns null for %j", (header) => {
    expect(parseRetryAfter(header, now)).toBeNull();
  });
});
