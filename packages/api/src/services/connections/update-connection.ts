import { and, connections, eq } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { connectionView, type ConnectionView } from "./connection-view";
import { UpdateConnectionInput } from "./schemas";

export async function updateConnection(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<ConnectionView> {
  requireRole(actor.role, "admin");
  const { connectionId, name, apiKey, baseUrl, config } = parseInput(UpdateConnectionInput, input);
  return deps.db.transaction(async (tx) => {
    const where = and(eq(connections.id, connectionId), eq(connections.workspaceId, actor.workspaceId));
    const [current] = await tx.select({ provider: connections.provider, baseUrl: connections.baseUrl }).from(connections).where(where).for("update");
    if (!current) throw notFound("Connection");
    const nextBaseUrl = baseUrl === undefined ? current.baseUrl : baseUrl;
    if (current.provider === "openai_compatible" && !nextBaseUrl) {
      throw new AppError("BAD_REQUEST", "baseUrl: An OpenAI-compatible connection needs a base URL", { path: "baseUrl" });
    }
    // The stored key was given for the old address: it is never sent to a new one unless re-entered.
    if ((nextBaseUrl ?? null) !== (current.baseUrl ?? null) && apiKey === undefined) {
      throw new AppError("BAD_REQUEST", "apiKey: Re-enter the API key when you change the base URL; the stored key is not sent to a new address", {
        path: "apiKey",
      });
    }
    const [row] = await tx
      .update(connections)
      .set({
        ...(name !== undefined ? { name } : {}),
        ...(baseUrl !== undefined ? { baseUrl } : {}),
        ...(config !== undefined ? { config } : {}),
        ...(apiKey !== undefined ? { secretCiphertext: deps.secrets.encrypt(apiKey) } : {}),
        updatedAt: deps.now(),
      })
      .where(where)
      .returning(connectionView);
    const fields = Object.entries({ name, baseUrl, config, apiKey })
      .filter(([, value]) => value !== undefined)
      .map(([field]) => field);
    await audit(tx, actor, "connection.update", { type: "connection", id: connectionId }, { fields });
    return row!;
  });
}
