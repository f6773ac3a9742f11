import { and, connections, eq } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { ConnectionIdInput } from "./schemas";

export async function deleteConnection(deps: Deps, { actor, input }: { actor: Actor; input: unknown }) {
  requireRole(actor.role, "admin");
  const { connectionId } = parseInput(ConnectionIdInput, input);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(connections)
      .where(and(eq(connections.id, connectionId), eq(connections.workspaceId, actor.workspaceId)))
      .returning({ id: connections.id });
    if (!row) throw notFound("Connection");
    await audit(tx, actor, "connection.delete", { type: "connection", id: connectionId });
    return row;
  });
}
