import { and, eq, gt, sql } from "drizzle-orm";
import type { DbOrTx } from "./client";
import { rateLimits } from "./schema";

export type RateLimitState = { count: number; resetAt: Date };

/**
 * Adds one hit to a fixed window counter shared by every process and returns the new count.
 * The window starts at the first hit and lasts `windowMs`.
 */
export async function hitRateLimit(db: DbOrTx, key: string, windowMs: number, now = new Date()): Promise<RateLimitState> {
  const resetAt = new Date(now.getTime() + windowMs);
  const [row] = await db
    .insert(rateLimits)
    .values({ key, count: 1, resetAt })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        // Dates go in as ISO strings: postgres.js does not serialise Date parameters of raw SQL.
        count: sql`case when ${rateLimits.resetAt} <= ${now.toISOString()}::timestamptz then 1 else ${rateLimits.count} + 1 end`,
        resetAt: sql`case when ${rateLimits.resetAt} <= ${now.toISOString()}::timestamptz then ${resetAt.toISOString()}::timestamptz else ${rateLimits.resetAt} end`,
      },
    })
    .returning({ count: rateLimits.count, resetAt: rateLimits.resetAt });
  if (!row) throw new Error("rate limit upsert returned nothing");
  return row;
}

/** The current window of a counter, or null when it has none or it has expired. */
export async function peekRateLimit(db: DbOrTx, key: string, now = new Date()): Promise<RateLimitState | null> {
  const [row] = await db
    .select({ count: rateLimits.count, resetAt: rateLimits.resetAt })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), gt(rateLimits.resetAt, now)));
  return row ?? null;
}

export async function clearRateLimit(db: DbOrTx, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}
