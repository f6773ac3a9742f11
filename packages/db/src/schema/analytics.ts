import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { users } from "./auth";
import { flows } from "./flows";
import { workspaces } from "./workspaces";

/** Feedback categories of a workspace, created on first use. */
export const decisionCategories = pgTable(
  "decision_categories",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("decision_categories_workspace_name_key").on(t.workspaceId, t.name)],
);

/** A rule about decisions: when `when` (a sandboxed expression over `input`) holds, the answer should be `expect`. */
export const patterns = pgTable(
  "patterns",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    flowId: uuid("flow_id").references(() => flows.id, { onDelete: "cascade" }),
    nodeId: text("node_id"),
    when: text("when").notNull(),
    expect: jsonb("expect"),
    exampleDecisionIds: uuid("example_decision_ids").array().notNull().default(sql`'{}'::uuid[]`),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("patterns_workspace_id_idx").on(t.workspaceId, t.createdAt)],
);

const hour = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Per node, model and UTC hour: block runs (completed + failed, test runs left out) and the decision
 * feedback of that hour. Kept exact by the statement triggers of drizzle/0003 (a block row adds its
 * contribution when it reaches completed/failed and takes it back when it leaves that state or is
 * deleted). `model` is '' for blocks without one.
 */
export const analyticsNodeHours = pgTable(
  "analytics_node_hours",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id").notNull(),
    nodeId: text("node_id").notNull(),
    model: text("model").notNull().default(""),
    bucket: hour("bucket").notNull(),
    blockType: text("block_type").notNull().default(""),
    runs: integer("runs").notNull().default(0),
    failures: integer("failures").notNull().default(0),
    tokensIn: bigint("tokens_in", { mode: "number" }).notNull().default(0),
    tokensOut: bigint("tokens_out", { mode: "number" }).notNull().default(0),
    /** Sum of the known costs; `unknownCostCalls` counts the model calls without a price. */
    costUsd: numeric("cost_usd", { precision: 18, scale: 8 }).notNull().default("0"),
    pricedCalls: integer("priced_calls").notNull().default(0),
    unknownCostCalls: integer("unknown_cost_calls").notNull().default(0),
    decisions: integer("decisions").notNull().default(0),
    correct: integer("correct").notNull().default(0),
    incorrect: integer("incorrect").notNull().default(0),
    partial: integer("partial").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.bucket, t.flowId, t.nodeId, t.model] })],
);

/**
 * Exact latency histograms per node and UTC hour: `metric` 0 = duration, 1 = TTFT; `value` is the
 * time in ms kept to two significant digits (weft_ms_key), `n` how many block runs had it.
 */
export const analyticsLatency = pgTable(
  "analytics_latency",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id").notNull(),
    nodeId: text("node_id").notNull(),
    bucket: hour("bucket").notNull(),
    metric: smallint("metric").notNull(),
    value: integer("value").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.bucket, t.flowId, t.nodeId, t.metric, t.value] })],
);

/** Failed block executions per fingerprint (code + normalised message + block type), flow and UTC hour. */
export const analyticsFailures = pgTable(
  "analytics_failures",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    fingerprint: text("fingerprint").notNull(),
    flowId: uuid("flow_id").notNull(),
    bucket: hour("bucket").notNull(),
    code: text("code").notNull(),
    message: text("message").notNull(),
    blockType: text("block_type").notNull(),
    n: integer("n").notNull().default(0),
    firstSeen: hour("first_seen").notNull(),
    lastSeen: hour("last_seen").notNull(),
    sampleExecutionIds: uuid("sample_execution_ids").array().notNull().default(sql`'{}'::uuid[]`),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.bucket, t.fingerprint, t.flowId] })],
);

export type DecisionCategory = typeof decisionCategories.$inferSelect;
export type Pattern = typeof patterns.$inferSelect;

/**
 * Coarser levels of `analytics_node_hours` (drizzle/0010): the same sums per node and model over
 * aligned spans of `span` hours (6, 24, 96, 384, 1536; a span starts at a multiple of its length since
 * the Unix epoch, so a day span is a UTC day). A time range reads few rows: its edge hours, then the
 * largest aligned spans that fit (see packages/api/src/services/analytics/spans.ts). Kept exact by the
 * same statement triggers, in the same statement.
 */
export const analyticsNodeSpans = pgTable(
  "analytics_node_spans",
  {
    // No foreign key (a check per written row on the commit path): drizzle/0010 deletes the rows
    // with their workspace.
    workspaceId: uuid("workspace_id").notNull(),
    span: smallint("span").notNull(),
    bucket: hour("bucket").notNull(),
    flowId: uuid("flow_id").notNull(),
    nodeId: text("node_id").notNull(),
    model: text("model").notNull().default(""),
    blockType: text("block_type").notNull().default(""),
    runs: integer("runs").notNull().default(0),
    failures: integer("failures").notNull().default(0),
    tokensIn: bigint("tokens_in", { mode: "number" }).notNull().default(0),
    tokensOut: bigint("tokens_out", { mode: "number" }).notNull().default(0),
    costUsd: numeric("cost_usd", { precision: 18, scale: 8 }).notNull().default("0"),
    pricedCalls: integer("priced_calls").notNull().default(0),
    unknownCostCalls: integer("unknown_cost_calls").notNull().default(0),
    decisions: integer("decisions").notNull().default(0),
    correct: integer("correct").notNull().default(0),
    incorrect: integer("incorrect").notNull().default(0),
    partial: integer("partial").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.span, t.bucket, t.flowId, t.nodeId, t.model] })],
);

/** Coarser levels of `analytics_latency`: the exact histograms over the same aligned spans. */
export const analyticsLatencySpans = pgTable(
  "analytics_latency_spans",
  {
    // No foreign key (a check per written row on the commit path): drizzle/0010 deletes the rows
    // with their workspace.
    workspaceId: uuid("workspace_id").notNull(),
    span: smallint("span").notNull(),
    bucket: hour("bucket").notNull(),
    flowId: uuid("flow_id").notNull(),
    nodeId: text("node_id").notNull(),
    metric: smallint("metric").notNull(),
    value: integer("value").notNull(),
    n: integer("n").notNull().default(0),
  },
  // The migration adds `INCLUDE (n)` to the key, so ranges are read by index-only scans (as for
  // analytics_node_spans, whose key includes every figure).
  (t) => [primaryKey({ columns: [t.workspaceId, t.span, t.bucket, t.flowId, t.nodeId, t.metric, t.value] })],
);

/**
 * The block figures of each node per UTC hour (span 1) and UTC day (span 24), as the hour and day
 * series show them: the sums of analytics_node_hours / analytics_node_spans over models, and the
 * nearest-rank p50/p95 duration and p50 TTFT of the bucket's histograms (null without samples).
 * The sums are kept by the triggers like the other rollups, the percentiles recomputed from the
 * histograms for the buckets a statement touched (drizzle/0010); a bucket whose runs and decisions went
 * back to 0 keeps its row (readers skip it).
 */
export const analyticsNodeStats = pgTable(
  "analytics_node_stats",
  {
    // No foreign key (a check per written row on the commit path): drizzle/0010 deletes the rows
    // with their workspace.
    workspaceId: uuid("workspace_id").notNull(),
    span: smallint("span").notNull(),
    bucket: hour("bucket").notNull(),
    flowId: uuid("flow_id").notNull(),
    nodeId: text("node_id").notNull(),
    blockType: text("block_type").notNull().default(""),
    runs: integer("runs").notNull().default(0),
    failures: integer("failures").notNull().default(0),
    tokensIn: bigint("tokens_in", { mode: "number" }).notNull().default(0),
    tokensOut: bigint("tokens_out", { mode: "number" }).notNull().default(0),
    costUsd: numeric("cost_usd", { precision: 18, scale: 8 }).notNull().default("0"),
    unknownCostCalls: integer("unknown_cost_calls").notNull().default(0),
    decisions: integer("decisions").notNull().default(0),
    correct: integer("correct").notNull().default(0),
    incorrect: integer("incorrect").notNull().default(0),
    partial: integer("partial").notNull().default(0),
    durationP50: integer("duration_p50"),
    durationP95: integer("duration_p95"),
    ttftP50: integer("ttft_p50"),
  },
  // The migration adds `INCLUDE` (every figure) to the key and an index on (workspace, flow, span,
  // bucket) with the same, so hour and day series are index-only scans, for all flows or one.
  (t) => [primaryKey({ columns: [t.workspaceId, t.span, t.bucket, t.flowId, t.nodeId] })],
);
