import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { flowExecutions } from "./executions";
import { flows } from "./flows";
import { workspaces } from "./workspaces";

/** One secret webhook URL per flow. Only the SHA-256 of the secret is stored. */
export const webhooks = pgTable(
  "webhooks",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    responseMode: text("response_mode").$type<"async" | "sync">().notNull().default("async"),
    syncTimeoutMs: integer("sync_timeout_ms").notNull().default(30000),
    /** Requests accepted per minute for this flow, counted in `rate_limits` (shared by every instance). */
    rateLimitPerMinute: integer("rate_limit_per_minute").notNull().default(60),
    maxBodyBytes: integer("max_body_bytes").notNull().default(1_048_576),
    /** Standard Webhooks signing secrets (encrypted); empty = signatures not required. */
    signingSecretsCiphertext: jsonb("signing_secrets_ciphertext").$type<string[]>().notNull().default([]),
    rotatedAt: tstz("rotated_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("webhooks_workspace_id_idx").on(t.workspaceId), uniqueIndex("webhooks_flow_id_key").on(t.flowId)],
);

export const webhookInvocations = pgTable(
  "webhook_invocations",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id").notNull(),
    executionId: uuid("execution_id").references(() => flowExecutions.id, { onDelete: "set null" }),
    idempotencyKey: text("idempotency_key"),
    statusCode: integer("status_code").notNull(),
    latencyMs: integer("latency_ms"),
    requestBytes: integer("request_bytes"),
    error: text("error"),
    /** A repeat of an earlier request's `webhook-id`/`Idempotency-Key`: answered with its execution. */
    deduplicated: boolean("deduplicated").notNull().default(false),
    /**
     * A sync call answered with its run's end: the row is written once, before the run, and its status
     * and latency are the run's (200 completed, 500 failed or cancelled, from created_at to the run's
     * finished_at) until a timeout answered 202 and wrote them (list-webhook-invocations).
     */
    awaitsRun: boolean("awaits_run").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_invocations_workspace_id_idx").on(t.workspaceId, t.webhookId, t.createdAt),
    uniqueIndex("webhook_invocations_idempotency_key").on(t.webhookId, t.idempotencyKey),
  ],
);

export const schedules = pgTable(
  "schedules",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    cron: text("cron").notNull(),
    timezone: text("timezone").notNull().default("UTC"),
    enabled: boolean("enabled").notNull().default(true),
    overlapPolicy: text("overlap_policy").$type<"skip" | "queue_one" | "allow">().notNull().default("skip"),
    catchupPolicy: text("catchup_policy").$type<"none" | "latest" | "all">().notNull().default("none"),
    catchupWindowMs: integer("catchup_window_ms").notNull().default(3_600_000),
    catchupMax: integer("catchup_max").notNull().default(10),
    input: jsonb("input"),
    nextRunAt: tstz("next_run_at"),
    lastSlotAt: tstz("last_slot_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("schedules_workspace_id_idx").on(t.workspaceId, t.flowId), index("schedules_due_idx").on(t.enabled, t.nextRunAt)],
);

/**
 * What became of a schedule slot: a run `started`, a held run `queued`, `skipped` by the overlap
 * policy, `failed` (the run could not be created), or `missed` (not fired: the catch-up policy dropped
 * it after downtime). Stored as text, so a new value needs no migration.
 */
export type ScheduleSlotOutcome = "started" | "queued" | "skipped" | "failed" | "missed";

/**
 * One row per schedule slot that was handled (fired, queued, skipped or missed): the primary key
 * makes a slot fire at most once, whatever number of schedulers run.
 */
export const scheduleSlots = pgTable(
  "schedule_slots",
  {
    scheduleId: uuid("schedule_id")
      .notNull()
      .references(() => schedules.id, { onDelete: "cascade" }),
    slotAt: tstz("slot_at").notNull(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    executionId: uuid("execution_id").references(() => flowExecutions.id, { onDelete: "set null" }),
    outcome: text("outcome").$type<ScheduleSlotOutcome>().notNull(),
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scheduleId, t.slotAt] }), index("schedule_slots_workspace_id_idx").on(t.workspaceId, t.scheduleId)],
);

export type ScheduleSlot = typeof scheduleSlots.$inferSelect;
export type Webhook = typeof webhooks.$inferSelect;
export type WebhookInvocation = typeof webhookInvocations.$inferSelect;
export type Schedule = typeof schedules.$inferSelect;
