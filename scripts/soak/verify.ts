/**
 * The end of the soak: reads the workspace's rows (read-only), runs the checks, prints the figures
 * (`name: value unit`) and returns the number of misses (a disruption the runs did not recover from
 * counts as one).
 */
import type { Sql } from "postgres";
import type { Kill, PgRestart } from "./chaos";
import { checkEventIndexes, checkHttpCalls, checkNodeRuns, checkTerminal, type CheckResult } from "./checks";
import type { Start } from "./driver";
import { percentile, printChecks, printFigure } from "./report";
import { loadBlocks, loadEvents, loadExecutions } from "./rows";
import type { HttpCall } from "./target";

export type SoakOutcome = {
  sql: Sql;
  workspaceId: string;
  calls: HttpCall[];
  starts: Start[];
  loadMs: number;
  drainMs: number;
  kills: Kill[];
  restarts: PgRestart[];
  approvals: number;
  unexpectedExits: number;
};

export async function verify(outcome: SoakOutcome): Promise<number> {
  const { sql, workspaceId } = outcome;
  const [executions, events, blocks] = [await loadExecutions(sql, workspaceId), await loadEvents(sql, workspaceId), await loadBlocks(sql, workspaceId)];
  const nodeRuns = checkNodeRuns(events, blocks);
  const recoveries: CheckResult = { name: "every disruption recovered", misses: [], counts: { kills: outcome.kills.length, postgres_restarts: outcome.restarts.length } };
  for (const d of [...outcome.kills.map((k) => k.recovery), ...outcome.restarts.map((r) => r.recovery)]) {
    if (d && d.ms === null) recoveries.misses.push(`${d.label}: ${d.stuck.length} of ${d.runs} runs made no progress in time (${d.stuck.slice(0, 5).join(", ")})`);
  }
  console.log("\n---- soak checks");
  const misses = printChecks([
    checkTerminal(executions),
    checkEventIndexes(executions, events),
    nodeRuns,
    checkHttpCalls(executions, events, blocks, outcome.calls),
    recoveries,
  ]);
  for (const key of [...new Set(nodeRuns.reruns)].slice(0, 10)) console.log(`  re-run (in flight, same idempotency key): ${key}`);

  console.log("\n---- soak figures");
  const loadMin = outcome.loadMs / 60_000;
  printFigure("soak.load_minutes", loadMin, "min");
  printFigure("soak.runs", executions.length, "runs");
  printFigure("soak.runs_per_min", executions.length / loadMin, "runs/min");
  printFigure("soak.starts_sent", outcome.starts.length, "requests");
  printFigure("soak.starts_refused", outcome.starts.filter((s) => !s.ok).length, "requests");
  const durations = executions.filter((e) => e.status === "completed" && e.finishedAt).map((e) => e.finishedAt!.getTime() - e.createdAt.getTime());
  printFigure("soak.run_duration_p50", percentile(durations, 50), "ms");
  printFigure("soak.run_duration_p99", percentile(durations, 99), "ms");
  printFigure("soak.reruns", nodeRuns.reruns.length, "nodes");
  printFigure("soak.http_calls", outcome.calls.length, "calls");
  printFigure("soak.approvals", outcome.approvals, "decisions");
  printFigure("soak.kills", outcome.kills.length, "kills");
  for (const kind of ["web", "worker"]) printFigure(`soak.kills_${kind}`, outcome.kills.filter((k) => k.kind === kind).length, "kills");
  const restartMs = outcome.kills.flatMap((k) => (k.restartMs === null ? [] : [k.restartMs]));
  const recoveryMs = outcome.kills.flatMap((k) => (k.recovery?.ms == null ? [] : [k.recovery.ms]));
  printFigure("soak.kill_restart_p50", percentile(restartMs, 50), "ms");
  printFigure("soak.kill_restart_max", restartMs.length ? Math.max(...restartMs) : Number.NaN, "ms");
  printFigure("soak.kill_recovery_p50", percentile(recoveryMs, 50), "ms");
  printFigure("soak.kill_recovery_max", recoveryMs.length ? Math.max(...recoveryMs) : Number.NaN, "ms");
  for (const kind of ["web", "worker"]) {
    const ms = outcome.kills.flatMap((k) => (k.kind === kind && k.recovery?.ms != null ? [k.recovery.ms] : []));
    printFigure(`soak.kill_recovery_${kind}_p50`, percentile(ms, 50), "ms");
  }
  outcome.restarts.forEach((r, i) => printFigure(`soak.postgres_restart_${i + 1}_${r.mode}_recovery`, r.recovery?.ms ?? Number.NaN, "ms"));
  printFigure("soak.unexpected_exits", outcome.unexpectedExits, "exits");
  printFigure("soak.drain", outcome.drainMs, "ms");
  printFigure("soak.misses", misses, "misses");
  return misses;
}
