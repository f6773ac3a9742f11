import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { workspaces } from "./workspaces";

/** Reusable block configurations (the block library). */
export const blocks = pgTable(
  "blocks",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    type: text("type").notNull(),
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    /** The latest saved version (`block_versions`); every save adds one. */
    version: integer("version").notNull().default(1),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("blocks_workspace_id_idx").on(t.workspaceId, t.createdAt)],
);

/** Immutable snapshots of a saved block, one per save (a flow node's `data.blockRef.version`). */
export const blockVersions = pgTable(
  "block_versions",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    blockId: uuid("block_id")
      .notNull()
      .references(() => blocks.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    type: text("type").notNull(),
    config: jsonb("config").$type<Record<string, unknown>>().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("block_versions_workspace_id_idx").on(t.workspaceId, t.blockId),
    uniqueIndex("block_versions_block_id_version_key").on(t.blockId, t.version),
  ],
);

/** The editable flow graph (`{ nodes, edges }` as the canvas edits it). `version` is the optimistic-lock counter. */
export const flows = pgTable(
  "flows",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    nodes: jsonb("nodes").$type<unknown[]>().notNull().default([]),
    edges: jsonb("edges").$type<unknown[]>().notNull().default([]),
    triggers: jsonb("triggers").$type<unknown[]>().notNull().default([]),
    version: integer("version").notNull().default(1),
    publishedVersion: integer("published_version"),
    enabled: boolean("enabled").notNull().default(true),
    /**
     * `flow`, or `block_tests`: the one hidden flow per workspace that test runs of saved or unsaved
     * blocks belong to (created deleted, so nothing that lists flows shows it).
     */
    kind: text("kind").$type<"flow" | "block_tests">().notNull().default("flow"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: tstz("deleted_at"),
  },
  (t) => [
    index("flows_workspace_id_idx").on(t.workspaceId, t.updatedAt),
    uniqueIndex("flows_block_tests_key").on(t.workspaceId).where(sql`${t.kind} = 'block_tests'`),
  ],
);

/** Immutable published snapshots of a flow. */
export const flowVersions = pgTable(
  "flow_versions",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    nodes: jsonb("nodes").$type<unknown[]>().notNull(),
    edges: jsonb("edges").$type<unknown[]>().notNull(),
    triggers: jsonb("triggers").$type<unknown[]>().notNull().default([]),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("flow_versions_workspace_id_idx").on(t.workspaceId, t.flowId),
    uniqueIndex("flow_versions_flow_id_version_key").on(t.flowId, t.version),
  ],
);

export type Block = typeof blocks.$inferSelect;
export type Flow = typeof flows.$inferSelect;
export type FlowVersion = typeof flowVersions.$inferSelect;
