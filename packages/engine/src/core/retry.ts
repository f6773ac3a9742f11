// Retry choice and backoff of a failed node attempt. Pure: the randomness comes in as a number.

export type RetryPolicy = { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number };

/** Exponential backoff with jitter: attempt 1 waits half to all of initialDelay, doubling, capped at maxDelay. */
export function backoffDelay(attempt: number, policy: RetryPolicy = {}, random: number): number {
  const initial = policy.initialDelayMs ?? 500;
  const max = policy.maxDelayMs ?? 30_000;
  const ceiling = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

/**
 * After attempt `attempt` failed: another try, after how long (at least a `Retry-After`), or none
 * (the error is not retryable, or `maxAttempts` tries were made; one try by default).
 */
export function retryChoice(
  failure: { retryable: boolean; retryAfterMs?: number },
  attempt: number,
  policy: RetryPolicy | undefined,
  random: number,
): { retry: true; delayMs: number; nextAttempt: number } | { retry: false } {
  const maxAttempts = Math.max(1, policy?.maxAttempts ?? 1);
  if (!failure.retryable || attempt >= maxAttempts) return { retry: false };
  return { retry: true, delayMs: Math.max(backoffDelay(attempt, policy, random), failure.retryAfterMs ?? 0), nextAttempt: attempt + 1 };
}
