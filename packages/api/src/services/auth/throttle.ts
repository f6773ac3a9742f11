import { hitRateLimit } from "@weft/db";
import type { Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";

export type Limit = { key: string; max: number; windowMs: number };

/**
 * Counts one attempt against every limit BEFORE the expensive work (the scrypt hash), in one atomic
 * upsert each, so parallel attempts cannot slip past a limit between a check and a count. Answers 429
 * with Retry-After once any counter passes its maximum.
 */
export async function countAttempt(deps: Deps, limits: readonly Limit[], message: string): Promise<void> {
  const now = deps.now();
  for (const { key, max, windowMs } of limits) {
    const window = await hitRateLimit(deps.db, key, windowMs, now);
    if (window.count > max) {
      const retryAfter = Math.max(1, Math.ceil((window.resetAt.getTime() - now.getTime()) / 1000));
      throw new AppError("TOO_MANY_REQUESTS", message, { retryAfter });
    }
  }
}
