import { connections } from "@weft/db";
import { audit } from "../../lib/audit";
import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { connectionView, type ConnectionView } from "./connection-view";
import { CreateConnectionInput } from "./schemas";

/** Stores provider credentials; the API key is encrypted (AES-256-GCM) and never returned. */
export async function createConnection(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<ConnectionView> {
  requireRole(actor.role, "admin");
  const { name, provider, apiKey, baseUrl, config } = parseInput(CreateConnectionInput, input);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(connections)
      .values({
        workspaceId: actor.workspaceId,
        name,
        provider,
        baseUrl: baseUrl ?? null,
        config,
        secretCiphertext: deps.secrets.encrypt(apiKey),
        createdBy: actor.userId,
      })
      .returning(connectionView);
    if (!row) throw new Error("connection insert returned nothing");
    await audit(tx, actor, "connection.create", { type: "connection", id: row.id }, { name, provider });
    return row;
  });
}
