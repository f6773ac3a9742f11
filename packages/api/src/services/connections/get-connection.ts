import { and, connections, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { connectionView, type ConnectionView } from "./connection-view";
import { ConnectionIdInput } from "./schemas";

export async function getConnection(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<ConnectionView> {
  const { connectionId } = parseInput(ConnectionIdInput, input);
  const [row] = await deps.db
    .select(connectionView)
    .from(connections)
    .where(and(eq(connections.id, connectionId), eq(connections.workspaceId, actor.workspaceId)));
  if (!row) throw notFound("Connection");
  return row;
}

/**
 * The decrypted credentials, for server-side callers only (the LLM gateway). Never return this from an
 * API route or put it in an event or log.
 */
export async function getConnectionSecret(
  deps: Pick<Deps, "db" | "secrets">,
  { workspaceId, connectionId }: { workspaceId: string; connectionId: string },
): Promise<ConnectionView & { apiKey: string }> {
  const [row] = await deps.db
    .select({ ...connectionView, secretCiphertext: connections.secretCiphertext })
    .from(connections)
    .where(and(eq(connections.id, connectionId), eq(connections.workspaceId, workspaceId)));
  if (!row) throw notFound("Connection");
  const { secretCiphertext, ...view } = row;
  return { ...view, apiKey: deps.secrets.decrypt(secretCiphertext) };
}
