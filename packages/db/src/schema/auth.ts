import { index, pgTable, text, uniqueIndex, uuid, integer } from "drizzle-orm/pg-core";
import { createdAt, id, tstz, updatedAt } from "./_columns";

export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** scrypt hash (`scrypt$N$r$p$salt$hash`); null for users who only sign in through Clerk. */
    passwordHash: text("password_hash"),
    clerkUserId: text("clerk_user_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    uniqueIndex("users_clerk_user_id_key").on(t.clerkUserId),
  ],
);

/** Local-auth sessions. The cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("sessions_token_hash_key").on(t.tokenHash), index("sessions_user_id_idx").on(t.userId)],
);

/**
 * Fixed-window counters shared by every process (sign-in throttling, webhook rate limits).
 * Kept in the database so limits hold across instances.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  count: integer("count").notNull(),
  resetAt: tstz("reset_at").notNull(),
});

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
