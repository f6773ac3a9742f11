import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  and,
  blockExecutions,
  count,
  eq,
  executionEvents,
  flowExecutions,
  flows,
  inArray,
  rateLimits,
  schedules,
  scheduleSlots,
  sql,
  webhookInvocations,
  webhooks,
  workspaces,
} from "@weft/db";
import { createTestEngine, edge, node } from "@weft/engine/testing";
import { pruneExpired } from "../src/services/retention/prune-expired";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { signUpUser, type SignedUpUser } from "./support";

/** The retention job: exactly what has outlived its workspace's period goes, in small batches. */

let api: TestApi;
let t: Awaited<ReturnType<typeof createTestEngine>>;
let wsLong: string; // default 30 days
let wsShort: string; // 7 days
let owner: SignedUpUser;

const DAY = 24 * 3600 * 1000;
const graph = {
  nodes: [node("in", "source"), node("calc", "function", { code: "return { n: 1 };" }), node("out", "sink")],
  edges: [edge("in", "calc"), edge("calc", "out")],
};

beforeAll(async () => {
  api = await createTestApi();
  t = await createTestEngine(api.database);
  await t.engine.start();
  owner = await signUpUser(api, "Keeper");
  const caller = callerFor(api.deps, owner.user);
  wsLong = (await caller.workspaces.create({ name: "Long" })).id;
  wsShort = (await caller.workspaces.create({ name: "Short" })).id;
  expect(await caller.workspaces.rename({ workspaceId: wsShort, name: "Short", retentionDays: 7 })).toMatchObject({ retentionDays: 7 });
  const [long] = await api.deps.db.select({ days: workspaces.retentionDays }).from(workspaces).where(eq(workspaces.id, wsLong));
  expect(long!.days).toBe(30);
});
afterAll(async () => {
  await t?.engine.stop();
  await api?.close();
});

/** Runs the flow to its end and dates its end `ageMs` before the test clock. */
async function endedRun(workspaceId: string, ageMs: number): Promise<string> {
  const [flow] = await api.deps.db.insert(flows).values({ workspaceId, name: "Tick", nodes: graph.nodes, edges: graph.edges }).returning({ id: flows.id });
  const { executionId } = await callerFor(api.deps, owner.user).executions.start({ workspaceId, flowId: flow!.id, input: {} });
  await t.waitFor(executionId, ["completed"]);
  const finishedAt = new Date(api.clock.now.getTime() - ageMs);
  await api.deps.db.update(flowExecutions).set({ finishedAt, createdAt: finishedAt }).where(eq(flowExecutions.id, executionId));
  return executionId;
}

const rowsOf = async (ids: string[]) => {
  const [runs] = await api.deps.db.select({ n: count() }).from(flowExecutions).where(inArray(flowExecutions.id, ids));
  const [blocks] = await api.deps.db.select({ n: count() }).from(blockExecutions).where(inArray(blockExecutions.executionId, ids));
  const [events] = await api.deps.db.select({ n: count() }).from(executionEvents).where(inArray(executionEvents.executionId, ids));
  return { runs: runs!.n, blocks: blocks!.n, events: events!.n };
};

/** Block runs counted by the finest analytics rollup, and the ended block rows that are there. */
async function rollupMatchesRows(workspaceId: string) {
  const result = await api.deps.db.execute(
    sql`select sum(runs) as runs from analytics_node_spans where workspace_id = ${workspaceId} and span = (select min(span) from analytics_node_spans)`,
  );
  const [rollup] = result as unknown as Array<{ runs: string | null }>;
  const [rows] = await api.deps.db
    .select({ n: count() })
    .from(blockExecutions)
    .where(and(eq(blockExecutions.workspaceId, workspaceId), inArray(blockExecutions.status, ["completed", "failed"])));
  return { rollup: Number(rollup?.runs ?? 0), rows: rows!.n };
}

describe("pruneExpired", () => {
  it("removes exactly the ended runs, invocations' and rate-limit rows past their period, per workspace, in batches", async () => {
    const expired = [await endedRun(wsLong, 31 * DAY), await endedRun(wsLong, 40 * DAY), await endedRun(wsShort, 8 * DAY), await endedRun(wsShort, 9 * DAY)];
    const kept = [await endedRun(wsLong, 29 * DAY), await endedRun(wsLong, 8 * DAY), await endedRun(wsShort, 6 * DAY), await endedRun(wsShort, 0)];
    // A run that has not ended is never pruned, however old.
    const [flow] = await api.deps.db.select({ id: flows.id }).from(flows).where(eq(flows.workspaceId, wsShort)).limit(1);
    const [stuck] = await api.deps.db
      .insert(flowExecutions)
      .values({ workspaceId: wsShort, flowId: flow!.id, status: "paused", createdAt: new Date(api.clock.now.getTime() - 90 * DAY) })
      .returning({ id: flowExecutions.id });
    // Webhook invocations and schedule slots, each side of each workspace's line.
    const ago = (ms: number) => new Date(api.clock.now.getTime() - ms);
    const trail = { expired: [] as string[], kept: [] as string[] };
    for (const [workspaceId, old, recent] of [[wsLong, 31 * DAY, 29 * DAY], [wsShort, 8 * DAY, 6 * DAY]] as const) {
      const [own] = await api.deps.db.select({ id: flows.id }).from(flows).where(eq(flows.workspaceId, workspaceId)).limit(1);
      const [hook] = await api.deps.db.insert(webhooks).values({ workspaceId, flowId: own!.id, secretHash: `h-${workspaceId}` }).returning({ id: webhooks.id });
      const [schedule] = await api.deps.db.insert(schedules).values({ workspaceId, flowId: own!.id, cron: "0 * * * *" }).returning({ id: schedules.id });
      for (const [age, bucket] of [[old, trail.expired], [recent, trail.kept]] as const) {
        const [call] = await api.deps.db
          .insert(webhookInvocations)
          .values({ workspaceId, webhookId: hook!.id, flowId: own!.id, statusCode: 202, createdAt: ago(age) })
          .returning({ id: webhookInvocations.id });
        await api.deps.db.insert(scheduleSlots).values({ scheduleId: schedule!.id, slotAt: ago(age), workspaceId, outcome: "started", createdAt: ago(age) });
        bucket.push(call!.id);
      }
    }
    await api.deps.db.insert(rateLimits).values([
      { key: "test:ended", count: 3, resetAt: new Date(api.clock.now.getTime() - 1000) },
      { key: "test:open", count: 3, resetAt: new Date(api.clock.now.getTime() + 60_000) },
    ]);
    const before = await rowsOf(expired);
    expect(before.runs).toBe(4);
    expect(before.blocks).toBeGreaterThan(0);
    expect(before.events).toBeGreaterThan(0);
    const keptBefore = await rowsOf(kept);
    const rollupsBefore = [];
    for (const ws of [wsLong, wsShort]) {
      const { rollup, rows } = await rollupMatchesRows(ws);
      expect(rollup).toBe(rows);
      rollupsBefore.push(rollup);
    }

    // Batches of one: every expired run goes, one statement at a time.
    const report = await pruneExpired(api.deps, { batchSize: 1 });
    expect(report.executions).toBe(4);
    expect(report).toMatchObject({ webhookInvocations: 2, scheduleSlots: 2 });
    expect(report.rateLimits).toBeGreaterThanOrEqual(1);
    const calls = (await api.deps.db.select({ id: webhookInvocations.id }).from(webhookInvocations)).map((r) => r.id).sort();
    expect(calls).toEqual([...trail.kept].sort());
    const slots = await api.deps.db.select({ slotAt: scheduleSlots.slotAt, workspaceId: scheduleSlots.workspaceId }).from(scheduleSlots);
    expect(slots.map((s) => [s.workspaceId, Math.round((api.clock.now.getTime() - s.slotAt.getTime()) / DAY)]).sort()).toEqual(
      [[wsLong, 29], [wsShort, 6]].sort(),
    );
    expect(await rowsOf(expired)).toEqual({ runs: 0, blocks: 0, events: 0 });
    expect(await rowsOf(kept)).toEqual(keptBefore);
    expect(await rowsOf([stuck!.id])).toMatchObject({ runs: 1 });
    const limits = (await api.deps.db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key);
    expect(limits).toContain("test:open");
    expect(limits).not.toContain("test:ended");
    // The analytics rollups are history: they keep counting the pruned runs (their hours and days
    // outlive the raw rows), and the delete goes through the rollup triggers without an error.
    const rollupsAfter = [];
    for (const ws of [wsLong, wsShort]) rollupsAfter.push((await rollupMatchesRows(ws)).rollup);
    expect(rollupsAfter).toEqual(rollupsBefore);

    // A second pass finds nothing more.
    expect(await pruneExpired(api.deps)).toEqual({ executions: 0, webhookInvocations: 0, scheduleSlots: 0, rateLimits: 0 });
  });
});
