import { isDeepStrictEqual } from "node:util";
import { executionEvents, flows, users, workspaces, type Db } from "@weft/db";
import { eventFromRow } from "@weft/flow";
import { expect } from "vitest";

/** A workspace and a flow row to hang executions on (the engine tests do not need the API). */
export async function seedFlow(db: Db, graph: { nodes: unknown[]; edges: unknown[] } = { nodes: [], edges: [] }) {
  const [user] = await db.insert(users).values({ email: `u${Math.random()}@test.dev`, name: "Test" }).returning();
  const [workspace] = await db.insert(workspaces).values({ name: "Engine tests", createdBy: user!.id }).returning();
  const [flow] = await db
    .insert(flows)
    .values({ workspaceId: workspace!.id, name: "flow", nodes: graph.nodes, edges: graph.edges })
    .returning();
  return { userId: user!.id, workspaceId: workspace!.id, flowId: flow!.id };
}

/**
 * Every event stored in this database parses with the event union of packages/flow, and parsing drops
 * nothing (the union describes every field the engine wrote). Returns the types seen.
 */
export async function expectEventsFollowContract(db: Db): Promise<Set<string>> {
  const rows = await db.select({ type: executionEvents.type, data: executionEvents.data, index: executionEvents.eventIndex }).from(executionEvents);
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const row of rows) {
    const stored = { ...(row.data as Record<string, unknown>), type: row.type };
    const parsed = eventFromRow(row);
    if (!parsed.success) problems.push(`${row.type} #${row.index}: ${parsed.error.message} in ${JSON.stringify(stored)}`);
    else if (!isDeepStrictEqual(stripUndefined(parsed.data), stored)) problems.push(`${row.type} #${row.index}: parsed as ${JSON.stringify(parsed.data)}, stored ${JSON.stringify(stored)}`);
    seen.add(row.type);
  }
  expect(problems).toEqual([]);
  expect(rows.length).toBeGreaterThan(0);
  return seen;
}

const stripUndefined = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
