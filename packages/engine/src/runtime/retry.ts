/** Exponential backoff with full jitter: attempt 1 waits up to initialDelay, doubling, capped at maxDelay. */
export function backoffDelay(
  attempt: number,
  policy: { initialDelayMs?: number; maxDelayMs?: number } = {},
  random: () => number = Math.random,
): number {
  const initial = policy.initialDelayMs ?? 500;
  const max = policy.maxDelayMs ?? 30_000;
  const ceiling = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
