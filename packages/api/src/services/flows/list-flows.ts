import { and, desc, eq, flows, ilike, isNull, sql } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { flowSummaryView, type FlowSummary } from "./flow-view";
import { ListFlowsInput } from "./schemas";

export type FlowPage = { items: FlowSummary[]; nextCursor: string | null };

// The cursor carries `updated_at` as Postgres prints it (microseconds), so a page boundary between
// rows whose times differ below the millisecond (a JS Date's precision) is still exact.
const updatedAtText = sql<string>`to_char(${flows.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const encodeCursor = (updatedAt: string, id: string) => Buffer.from(JSON.stringify([updatedAt, id])).toString("base64url");

function decodeCursor(cursor: string): { updatedAt: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(value) && value.length === 2) {
      const [updatedAt, id] = value as unknown[];
      if (typeof updatedAt === "string" && TIMESTAMP_RE.test(updatedAt) && typeof id === "string" && UUID_RE.test(id)) {
        return { updatedAt, id };
      }
    }
  } catch {
    // fall through
  }
  throw new AppError("BAD_REQUEST", "cursor: Not a cursor from a previous page", { path: "cursor" });
}

/** Flows of the workspace, newest change first (then id), in pages; soft-deleted flows are left out. */
export async function listFlows(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<FlowPage> {
  const { search, cursor, limit } = parseInput(ListFlowsInput, input);
  const after = cursor ? decodeCursor(cursor) : undefined;
  const rows = await deps.db
    .select({ ...flowSummaryView, cursorAt: updatedAtText })
    .from(flows)
    .where(
      and(
        eq(flows.workspaceId, actor.workspaceId),
        isNull(flows.deletedAt),
        search ? ilike(flows.name, `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
        after ? sql`(${flows.updatedAt}, ${flows.id}) < (${after.updatedAt}::timestamptz, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(flows.updatedAt), desc(flows.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ cursorAt: _, ...item }) => item),
    nextCursor: rows.length > limit && last ? encodeCursor(last.cursorAt, last.id) : null,
  };
}
