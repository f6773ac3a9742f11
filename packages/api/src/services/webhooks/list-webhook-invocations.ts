import { and, desc, eq, webhookInvocations } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { afterCursor, encodeCursor, exactTime } from "../../lib/cursor";
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
      createdAtExact: exactTime(webhookInvocations.createdAt),
    })
    .from(webhookInvocations)
    .where(
      and(
        eq(webhookInvocations.workspaceId, actor.workspaceId),
        eq(webhookInvocations.webhookId, webhook.id),
        cursor ? afterCursor(webhookInvocations.createdAt, webhookInvocations.id, cursor) : undefined,
      ),
    )
    .orderBy(desc(webhookInvocations.createdAt), desc(webhookInvocations.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ createdAtExact: _exact, ...row }) => row),
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAtExact, last.id) : null,
  };
}
