import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { flows, flowVersions } from "./flows";
import { workspaces } from "./workspaces";

export const executionStatus = pgEnum("execution_status", [
  "pending",
  "running",
  "paused",
  "completed",
  "failed",
  "cancelled",
]);
export const blockExecutionStatus = pgEnum("block_execution_status", [
  "pending",
  "running",
  "completed",
  "failed",
  "skipped",
]);
export const triggerType = pgEnum("trigger_type", ["manual", "webhook", "schedule", "api"]);

export const flowExecutions = pgTable(
  "flow_executions",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    flowVersionId: uuid("flow_version_id").references(() => flowVersions.id, { onDelete: "set null" }),
    /** The graph this run executes (pinned at start so later edits do not change a running execution). */
    graph: jsonb("graph").$type<{ nodes: unknown[]; edges: unknown[] }>(),
    status: executionStatus("status").notNull().default("pending"),
    triggerType: triggerType("trigger_type").notNull().default("manual"),
    /** `flow` (a run) or `test` (a block test: one-node graph, listed only with ?kind=test, kept out of analytics). */
    kind: text("kind").$type<"flow" | "test">().notNull().default("flow"),
    input: jsonb("input"),
    output: jsonb("output"),
    error: jsonb("error").$type<{ code: string; message: string; nodeId?: string }>(),
    /** The index the next event gets; events are contiguous from 0. */
    nextEventIndex: integer("next_event_index").notNull().default(0),
    /** A command for the lease owner from another process (`cancel` | `pause`), picked up at once via NOTIFY. */
    requestedCommand: text("requested_command").$type<"cancel" | "pause">(),
    requestedBy: uuid("requested_by"),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: tstz("lease_expires_at"),
    wakeAt: tstz("wake_at"),
    /**
     * Held: created but not to be run until released (a schedule's queued slot). No worker claims a
     * held run; `store.releaseHeld` releases it (and wakes a worker) in one statement.
     */
    held: boolean("held").notNull().default(false),
    tokensIn: integer("tokens_in").notNull().default(0),
    tokensOut: integer("tokens_out").notNull().default(0),
    /** USD; null = unknown (a model without a price was used), never silently 0. */
    costUsd: numeric("cost_usd", { precision: 14, scale: 8 }),
    durationMs: integer("duration_ms"),
    retryOfExecutionId: uuid("retry_of_execution_id"),
    /** A re-run from a step: the node it started from (upstream outputs were reused from `retryOfExecutionId`). */
    rerunFromNodeId: text("rerun_from_node_id"),
    /** A human name for the run (optional) and free tags, both searchable in the executions list. */
    name: text("name"),
    tags: text("tags").array().notNull().default([]),
    idempotencyKey: text("idempotency_key"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    startedAt: tstz("started_at"),
    finishedAt: tstz("finished_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("flow_executions_workspace_id_idx").on(t.workspaceId, t.createdAt),
    index("flow_executions_workspace_flow_idx").on(t.workspaceId, t.flowId, t.createdAt),
    index("flow_executions_claim_idx").on(t.status, t.leaseExpiresAt),
    // The retention job's scan (oldest ended runs first).
    index("flow_executions_finished_at_idx").on(t.finishedAt),
  ],
);

export const blockExecutions = pgTable(
  "block_executions",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    executionId: uuid("execution_id")
      .notNull()
      .references(() => flowExecutions.id, { onDelete: "cascade" }),
    nodeId: text("node_id").notNull(),
    blockType: text("block_type").notNull(),
    /** Loop iteration path ("" outside loops, "2" or "2.0" inside nested loops). */
    iteration: text("iteration").notNull().default(""),
    status: blockExecutionStatus("status").notNull().default("pending"),
    attempt: integer("attempt").notNull().default(0),
    input: jsonb("input"),
    output: jsonb("output"),
    error: jsonb("error").$type<{ code: string; message: string }>(),
    startedAt: tstz("started_at"),
    finishedAt: tstz("finished_at"),
    durationMs: integer("duration_ms"),
    tokensIn: integer("tokens_in"),
    tokensOut: integer("tokens_out"),
    costUsd: numeric("cost_usd", { precision: 14, scale: 8 }),
    ttftMs: integer("ttft_ms"),
    tokensPerSecond: doublePrecision("tokens_per_second"),
    /** Set when this row was copied from that execution by a re-run instead of being executed. */
    reusedFromExecutionId: uuid("reused_from_execution_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("block_executions_workspace_id_idx").on(t.workspaceId, t.executionId),
    uniqueIndex("block_executions_node_iteration_key").on(t.executionId, t.nodeId, t.iteration),
  ],
);

export const executionEvents = pgTable(
  "execution_events",
  {
    executionId: uuid("execution_id")
      .notNull()
      .references(() => flowExecutions.id, { onDelete: "cascade" }),
    eventIndex: integer("event_index").notNull(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.executionId, t.eventIndex] }),
    index("execution_events_workspace_id_idx").on(t.workspaceId, t.executionId),
  ],
);

/** Runs of a single block from the block test panel. */
export const blockTestRuns = pgTable(
  "block_test_runs",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** The execution that runs the test (kind `test`); status, output and metrics are read from it. */
    executionId: uuid("execution_id").references(() => flowExecutions.id, { onDelete: "cascade" }),
    blockId: uuid("block_id"),
    /** The saved block's version that was tested. */
    blockVersion: integer("block_version"),
    flowId: uuid("flow_id"),
    nodeId: text("node_id"),
    /** The test this one replays. */
    replayOf: uuid("replay_of"),
    blockType: text("block_type").notNull(),
    config: jsonb("config").$type<Record<string, unknown>>().notNull(),
    input: jsonb("input"),
    output: jsonb("output"),
    error: jsonb("error").$type<{ code: string; message: string }>(),
    status: blockExecutionStatus("status").notNull().default("pending"),
    durationMs: integer("duration_ms"),
    tokensIn: integer("tokens_in"),
    tokensOut: integer("tokens_out"),
    costUsd: numeric("cost_usd", { precision: 14, scale: 8 }),
    ttftMs: integer("ttft_ms"),
    tokensPerSecond: doublePrecision("tokens_per_second"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("block_test_runs_workspace_id_idx").on(t.workspaceId, t.createdAt),
    index("block_test_runs_block_idx").on(t.workspaceId, t.blockId, t.createdAt),
    index("block_test_runs_node_idx").on(t.workspaceId, t.flowId, t.nodeId, t.createdAt),
    index("block_test_runs_execution_idx").on(t.executionId),
  ],
);

/**
 * One row per completed AI block and router decision (test runs too, marked `isTest`). Written in the
 * same statement as the node's completion by the database (drizzle/0003_decisions_analytics.sql), from
 * the block row the engine store writes; unique per (execution, node, iteration), so a crash re-run can
 * never add a second one. Feedback columns are the only ones the API changes.
 */
export const decisions = pgTable(
  "decisions",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id").references(() => flows.id, { onDelete: "cascade" }),
    flowVersionId: uuid("flow_version_id"),
    executionId: uuid("execution_id").references(() => flowExecutions.id, { onDelete: "cascade" }),
    nodeId: text("node_id").notNull(),
    iteration: text("iteration").notNull().default(""),
    /** `ai` (an AI block) or `router` (a router, expression or AI mode). */
    kind: text("kind").$type<"ai" | "router">().notNull(),
    isTest: boolean("is_test").notNull().default(false),
    /** The node's input; over 16 kB replaced by `{ _summary: { bytes, preview } }`. */
    input: jsonb("input"),
    /** AI: the block output (capped like the input); router: `{ handle }`. */
    output: jsonb("output"),
    /** Router: the chosen handle. */
    route: text("route"),
    model: text("model"),
    latencyMs: integer("latency_ms"),
    tokensIn: integer("tokens_in"),
    tokensOut: integer("tokens_out"),
    costUsd: numeric("cost_usd", { precision: 14, scale: 8 }),
    /** `correct` | `incorrect` | `partial`, or null (no feedback yet). */
    feedback: text("feedback").$type<"correct" | "incorrect" | "partial">(),
    feedbackCategories: text("feedback_categories").array().notNull().default(sql`'{}'::text[]`),
    correctedOutput: jsonb("corrected_output"),
    feedbackComment: text("feedback_comment"),
    feedbackBy: uuid("feedback_by").references(() => users.id, { onDelete: "set null" }),
    feedbackAt: tstz("feedback_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("decisions_workspace_id_idx").on(t.workspaceId, t.createdAt),
    index("decisions_workspace_flow_node_idx").on(t.workspaceId, t.flowId, t.nodeId, t.createdAt),
    uniqueIndex("decisions_execution_node_iteration_key").on(t.executionId, t.nodeId, t.iteration),
  ],
);

export const comments = pgTable(
  "comments",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id").references(() => flows.id, { onDelete: "cascade" }),
    executionId: uuid("execution_id").references(() => flowExecutions.id, { onDelete: "cascade" }),
    nodeId: text("node_id"),
    /** Loop iteration path of the step commented on ("2", "2.0"); null for the run or a step outside loops. */
    iteration: text("iteration"),
    /** `user` (a person), `system` (the engine) or `agent` (a block's side output). */
    kind: text("kind").$type<CommentKind>().notNull().default("user"),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    /** Markdown as written; rendered and sanitised on read. */
    body: text("body").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("comments_workspace_id_idx").on(t.workspaceId, t.createdAt),
    index("comments_workspace_execution_idx").on(t.workspaceId, t.executionId, t.createdAt),
  ],
);

export const commentKinds = ["user", "system", "agent"] as const;
export type CommentKind = (typeof commentKinds)[number];

/** Files and large outputs produced by runs. */
export const artifacts = pgTable(
  "artifacts",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    executionId: uuid("execution_id").references(() => flowExecutions.id, { onDelete: "cascade" }),
    nodeId: text("node_id"),
    /** The comment the file is attached to, if any. */
    commentId: uuid("comment_id").references(() => comments.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    /** Hex SHA-256 of the bytes (also the download's ETag). */
    sha256: text("sha256").notNull(),
    /** Where the bytes are: a key in the artifact storage (disk folder or S3 bucket). */
    storageKey: text("storage_key").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("artifacts_workspace_id_idx").on(t.workspaceId, t.executionId)],
);

export type FlowExecution = typeof flowExecutions.$inferSelect;
export type Comment = typeof comments.$inferSelect;
export type Artifact = typeof artifacts.$inferSelect;
export type BlockExecution = typeof blockExecutions.$inferSelect;
export type ExecutionEvent = typeof executionEvents.$inferSelect;
export type ExecutionStatus = (typeof executionStatus.enumValues)[number];
export type BlockExecutionStatus = (typeof blockExecutionStatus.enumValues)[number];
export type TriggerType = (typeof triggerType.enumValues)[number];
export type Decision = typeof decisions.$inferSelect;
