import { and, desc, eq, flowExecutions, flows, gte, lt, or, sql } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { ListExecutionsInput } from "./schemas";

export type ExecutionListItem = {
  id: string;
  flowId: string;
  flowName: string;
  flowVersionId: string | null;
  status: string;
  triggerType: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  durationMs: number | null;
  tokensIn: number;
  tokensOut: number;
  tokens: number;
  /** USD; null = unknown (a model without a price), never silently 0. */
  costUsd: number | null;
  error: { code: string; message: string; nodeId?: string } | null;
  retryOfExecutionId: string | null;
};

/** The cursor is the last row's exact (microsecond) creation time and id, opaque to the caller. */
const encodeCursor = (createdAt: string, id: string) => Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");
function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(value[0]) &&
      typeof value[1] === "string" &&
      /^[0-9a-f-]{36}$/i.test(value[1])
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new AppError("BAD_REQUEST", "cursor: Invalid cursor", { path: "cursor" });
}

/** The workspace's executions, newest first (createdAt desc, id desc), with cursor pagination. */
export async function listExecutions(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ items: ExecutionListItem[]; nextCursor: string | null }> {
  const { flowId, status, triggerType, createdFrom, createdTo, cursor, limit } = parseInput(ListExecutionsInput, input);
  const e = flowExecutions;
  const conditions = [
    eq(e.workspaceId, actor.workspaceId),
    flowId ? eq(e.flowId, flowId) : undefined,
    status ? eq(e.status, status) : undefined,
    triggerType ? eq(e.triggerType, triggerType) : undefined,
    createdFrom ? gte(e.createdAt, createdFrom) : undefined,
    createdTo ? lt(e.createdAt, createdTo) : undefined,
  ];
  if (cursor) {
    const [at, id] = decodeCursor(cursor);
    conditions.push(or(lt(e.createdAt, sql`${at}::timestamptz`), and(eq(e.createdAt, sql`${at}::timestamptz`), lt(e.id, id))));
  }
  const rows = await deps.db
    .select({
      id: e.id,
      flowId: e.flowId,
      flowName: flows.name,
      flowVersionId: e.flowVersionId,
      status: e.status,
      triggerType: e.triggerType,
      startedAt: e.startedAt,
      finishedAt: e.finishedAt,
      createdAt: e.createdAt,
      createdAtExact: sql<string>`to_char(${e.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      durationMs: e.durationMs,
      tokensIn: e.tokensIn,
      tokensOut: e.tokensOut,
      costUsd: e.costUsd,
      error: e.error,
      retryOfExecutionId: e.retryOfExecutionId,
    })
    .from(e)
    .innerJoin(flows, and(eq(flows.id, e.flowId), eq(flows.workspaceId, actor.workspaceId)))
    .where(and(...conditions))
    .orderBy(desc(e.createdAt), desc(e.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ createdAtExact: _exact, costUsd, ...row }) => ({
      ...row,
      tokens: row.tokensIn + row.tokensOut,
      costUsd: costUsd == null ? null : Number(costUsd),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAtExact, last.id) : null,
  };
}
