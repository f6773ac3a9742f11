import { and, desc, eq, lt, or, webhookInvocations } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { findFlow } from "../flows/find-flow";
import { findWebhook } from "./find-webhook";
import { ListWebhookInvocationsInput } from "./schemas";

/** The flow's webhook calls, newest first (time, status, latency, size, execution). Viewers too. */
export async function listWebhookInvocations(deps: Deps, { actor, input }: { actor: Actor; input: unknown }) {
  const { flowId, limit, cursor } = parseInput(ListWebhookInvocationsInput, input);
  await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId });
  const webhook = await findWebhook(deps.db, { workspaceId: actor.workspaceId, flowId });
  if (!webhook) return { items: [], nextCursor: null };
  const after = cursor ? decodeCursor(cursor) : null;
  const rows = await deps.db
    .select({
      id: webhookInvocations.id,
      createdAt: webhookInvocations.createdAt,
      statusCode: webhookInvocations.statusCode,
      latencyMs: webhookInvocations.latencyMs,
      requestBytes: webhookInvocations.requestBytes,
      executionId: webhookInvocations.executionId,
      idempotencyKey: webhookInvocations.idempotencyKey,
      deduplicated: webhookInvocations.deduplicated,
      error: webhookInvocations.error,
    })
    .from(webhookInvocations)
    .where(
      and(
        eq(webhookInvocations.workspaceId, actor.workspaceId),
        eq(webhookInvocations.webhookId, webhook.id),
        after
          ? or(lt(webhookInvocations.createdAt, after.at), and(eq(webhookInvocations.createdAt, after.at), lt(webhookInvocations.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(webhookInvocations.createdAt), desc(webhookInvocations.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > limit && last ? `${last.createdAt.toISOString()}_${last.id}` : null };
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = cursor.split("_");
  const date = new Date(at ?? "");
  if (!id || Number.isNaN(date.getTime())) throw new AppError("BAD_REQUEST", "cursor: not a cursor from this list", { path: "cursor" });
  return { at: date, id };
}
