import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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

export type Webhook = typeof webhooks.$inferSelect;
export type WebhookInvocation = typeof webhookInvocations.$inferSelect;
export type Schedule = typeof schedules.$inferSelect;
