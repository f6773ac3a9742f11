import { and, desc, eq, flowExecutions, sql, webhookInvocations } from "@weft/db";
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
      // A sync call that waited for its run is written once, before it ran: its answer is the run's
      // end (receive-webhook's respond: 200 completed, 500 failed or cancelled, 202 while running).
      statusCode: sql<number>`case when ${webhookInvocations.awaitsRun} then case ${flowExecutions.status} when 'completed' then 200 when 'failed' then 500 when 'cancelled' then 500 else 202 end else ${webhookInvocations.statusCode} end`,
      latencyMs: sql<number | null>`case when ${webhookInvocations.awaitsRun} then round(extract(epoch from (${flowExecutions.finishedAt} - ${webhookInvocations.createdAt})) * 1000)::integer else ${webhookInvocations.latencyMs} end`,
      requestBytes: webhookInvocations.requestBytes,
      executionId: webhookInvocations.executionId,
      idempotencyKey: webhookInvocations.idempotencyKey,
      deduplicated: webhookInvocations.deduplicated,
      error: webhookInvocations.error,
      createdAtExact: exactTime(webhookInvocations.createdAt),
    })
    .from(webhookInvocations)
    .leftJoin(flowExecutions, eq(flowExecutions.id, webhookInvocations.executionId))
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
