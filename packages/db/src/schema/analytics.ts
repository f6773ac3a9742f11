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
