import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, id, tstz } from "./_columns";
import { users } from "./auth";
import { flowExecutions } from "./executions";
import { workspaces } from "./workspaces";

/**
 * Self-hosted runners (DESIGN.md section 12): machines a workspace hosts itself that run its `agent`
 * and `script` steps. A runner registers once with a one-time registration token and then
 * authenticates with a long-lived credential; both are stored as SHA-256 only.
 */
export const runnerRegistrationTokens = pgTable(
  "runner_registration_tokens",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** SHA-256 (hex) of the token; the token is shown once. */
    tokenHash: text("token_hash").notNull(),
    prefix: text("prefix").notNull(),
    /** Labels every runner registered with this token gets (besides its own). */
    labels: text("labels").array().notNull().default(sql`'{}'::text[]`),
    expiresAt: tstz("expires_at").notNull(),
    /** Set when a runner exchanged it; a token is good for one registration. */
    usedAt: tstz("used_at"),
    runnerId: uuid("runner_id"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("runner_registration_tokens_workspace_id_idx").on(t.workspaceId), uniqueIndex("runner_registration_tokens_token_hash_key").on(t.tokenHash)],
);

export const runners = pgTable(
  "runners",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    labels: text("labels").array().notNull().default(sql`'{}'::text[]`),
    /** SHA-256 (hex) of the runner credential; revoked credentials answer 401. */
    credentialHash: text("credential_hash").notNull(),
    prefix: text("prefix").notNull(),
    version: text("version"),
    hostname: text("hostname"),
    lastSeenAt: tstz("last_seen_at"),
    revokedAt: tstz("revoked_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("runners_workspace_id_idx").on(t.workspaceId), uniqueIndex("runners_credential_hash_key").on(t.credentialHash)],
);

/**
 * One step (an `agent` or `script` node attempt) waiting for, or running on, a runner. Claimed by a
 * runner of the same workspace whose labels include every `runs_on` label; the claim is a lease that
 * heartbeats renew. A claimed job whose lease expired is claimable again: the same row, so the same
 * idempotency key. Status: queued | claimed | completed | failed | cancelled.
 */
export const runnerJobs = pgTable(
  "runner_jobs",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    executionId: uuid("execution_id")
      .notNull()
      .references(() => flowExecutions.id, { onDelete: "cascade" }),
    nodeId: text("node_id").notNull(),
    iteration: text("iteration").notNull().default(""),
    attempt: integer("attempt").notNull().default(1),
    /** `executionId:nodeId:iteration`, the engine's idempotency key of the step. */
    idempotencyKey: text("idempotency_key").notNull(),
    blockType: text("block_type").notNull(),
    /** What the runner runs (rendered: command arguments, prompt, permission, env values, timeout). */
    payload: jsonb("payload").notNull(),
    runsOn: text("runs_on").array().notNull().default(sql`'{}'::text[]`),
    status: text("status").notNull().default("queued"),
    runnerId: uuid("runner_id").references(() => runners.id, { onDelete: "set null" }),
    leaseExpiresAt: tstz("lease_expires_at"),
    /** How many times a runner claimed it (2+ after a lost runner). */
    claims: integer("claims").notNull().default(0),
    /** Next log chunk sequence number expected from the runner (duplicates are dropped). */
    nextChunk: integer("next_chunk").notNull().default(0),
    output: jsonb("output"),
    error: jsonb("error"),
    createdAt: createdAt(),
    claimedAt: tstz("claimed_at"),
    finishedAt: tstz("finished_at"),
  },
  (t) => [
    index("runner_jobs_workspace_id_status_idx").on(t.workspaceId, t.status, t.createdAt),
    uniqueIndex("runner_jobs_step_key").on(t.executionId, t.nodeId, t.iteration, t.attempt),
    index("runner_jobs_runner_id_idx").on(t.runnerId),
  ],
);

export type Runner = typeof runners.$inferSelect;
export type RunnerRegistrationToken = typeof runnerRegistrationTokens.$inferSelect;
export type RunnerJob = typeof runnerJobs.$inferSelect;
