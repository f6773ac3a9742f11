import { sql } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { rowsOf } from "../../lib/rows";
import { parseInput } from "../../lib/validation";
import { resolveRange } from "./range";
import { FailureAnalyticsInput } from "./schemas";

export type FailureGroup = {
  /** md5 of error code + normalised message + block type. */
  fingerprint: string;
  code: string;
  /** The message with ids, quoted values and numbers replaced (`<id>`, `<value>`, `<n>`). */
  message: string;
  blockType: string;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  flows: Array<{ id: string; name: string | null }>;
  /** Up to 5 executions where it happened, most recent hours first. */
  sampleExecutionIds: string[];
};

type Row = {
  fingerprint: string;
  code: string;
  message: string;
  block_type: string;
  count: number;
  first_seen: Date | string;
  last_seen: Date | string;
  flows: Array<{ id: string; name: string | null }>;
  samples: string[] | null;
};

/** Failed block executions grouped by fingerprint, most frequent first, from the hourly failure rollups. */
export async function getFailureAnalytics(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<{ from: Date; to: Date; groups: FailureGroup[] }> {
  const parsed = parseInput(FailureAnalyticsInput, input ?? {});
  const { from, to } = resolveRange(parsed, deps.now());
  const rows = rowsOf<Row>(
    await deps.db.execute(sql`
      with scope as (
        select * from analytics_failures a
         where a.workspace_id = ${actor.workspaceId}::uuid and a.n > 0
           and a.bucket >= ${from.toISOString()}::timestamptz and a.bucket < ${to.toISOString()}::timestamptz
           ${parsed.flowId ? sql`and a.flow_id = ${parsed.flowId}::uuid` : sql``}
      ), groups as (
        select fingerprint, min(code) as code, min(message) as message, min(block_type) as block_type,
               sum(n)::int as count, min(first_seen) as first_seen, max(last_seen) as last_seen
          from scope group by fingerprint order by 5 desc, 7 desc limit 100
      )
      select g.*,
             (select jsonb_agg(jsonb_build_object('id', x.flow_id, 'name', f.name) order by f.name)
                from (select distinct s.flow_id from scope s where s.fingerprint = g.fingerprint) x
                left join flows f on f.id = x.flow_id and f.workspace_id = ${actor.workspaceId}::uuid) as flows,
             array(select e.id from scope s, unnest(s.sample_execution_ids) as e(id)
                    where s.fingerprint = g.fingerprint order by s.bucket desc limit 20) as samples
        from groups g
       order by g.count desc, g.last_seen desc`),
  );
  return {
    from,
    to,
    groups: rows.map((r) => ({
      fingerprint: r.fingerprint,
      code: r.code,
      message: r.message,
      blockType: r.block_type,
      count: r.count,
      firstSeen: new Date(r.first_seen),
      lastSeen: new Date(r.last_seen),
      flows: r.flows ?? [],
      sampleExecutionIds: [...new Set(r.samples ?? [])].slice(0, 5),
    })),
  };
}
