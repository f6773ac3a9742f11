import { flows, users, workspaces, type Db } from "@weft/db";

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
