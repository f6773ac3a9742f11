import { desc, eq, connections } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { connectionView, type ConnectionView } from "./connection-view";

export async function listConnections(deps: Deps, { actor }: { actor: Actor }): Promise<ConnectionView[]> {
  return deps.db
    .select(connectionView)
    .from(connections)
    .where(eq(connections.workspaceId, actor.workspaceId))
    .orderBy(desc(connections.createdAt));
}
