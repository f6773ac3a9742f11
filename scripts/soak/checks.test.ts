import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createTestApi, type TestApi } from "@weft/api/testing";
import { createTestEngine } from "@weft/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectApi, type SoakApi } from "./api";
import { checkEventIndexes, checkHttpCalls, checkNodeRuns, checkTerminal, type BlockRow, type EventRow, type ExecutionRow } from "./checks";
import { startApprover } from "./driver";
import { soakFlows } from "./flows";
import { activeRuns, loadBlocks, loadEvents, loadExecutions } from "./rows";
import { FLAKY_FAILURES, startTarget, type HttpCall, type Target } from "./target";

/**
 * The soak's checks on real rows: every soak flow run twice through the real REST app (over HTTP) by a
 * real engine on a real database, the HTTP nodes calling the soak's real target; then the rows the soak
 * would read. Clean rows pass; each kind of miss, made in the database or in a copy of the rows, fails
 * its check; an interrupted attempt re-run with the same key is counted, not failed.
 */
let api: TestApi;
let engine: Awaited<ReturnType<typeof createTestEngine>>;
let server: ReturnType<typeof serve>;
let target: Target;
let client: SoakApi;
let rows: { executions: ExecutionRow[]; events: EventRow[]; blocks: BlockRow[] };

const load = async () => ({
  executions: await loadExecutions(api.database.sql, client.workspaceId),
  events: await loadEvents(api.database.sql, client.workspaceId),
  blocks: await loadBlocks(api.database.sql, client.workspaceId),
});
const missesOf = (r: { executions: ExecutionRow[]; events: EventRow[]; blocks: BlockRow[] }, calls: HttpCall[]) =>
  [checkTerminal(r.executions), checkEventIndexes(r.executions, r.events), checkNodeRuns(r.events, r.blocks), checkHttpCalls(r.executions, r.events, r.blocks, calls)].flatMap(
    (c) => c.misses,
  );

beforeAll(async () => {
  api = await createTestApi();
  engine = await createTestEngine(api.database);
  await engine.engine.start();
  server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: api.rest.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  target = await startTarget();
  client = await connectApi(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const approver = startApprover(client);
  for (const flow of soakFlows(target.base)) {
    const flowId = await client.createFlow(flow.kind, flow);
    for (let i = 0; i < 2; i++) await client.execute(flowId, flow.input(`${flow.kind}${i}`));
  }
  const deadline = Date.now() + 30_000;
  while ((await activeRuns(api.database.sql, client.workspaceId)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await approver.stop();
  rows = await load();
}, 60_000);

afterAll(async () => {
  await engine?.engine.stop();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await target?.close();
  await api?.close();
});

describe("soak checks on real rows", () => {
  it("pass clean runs of every soak flow, with every HTTP call matched to its node", () => {
    expect(missesOf(rows, target.calls)).toEqual([]);
    expect(checkTerminal(rows.executions).counts).toEqual({ runs: 12, completed: 12 });
    expect(checkNodeRuns(rows.events, rows.blocks).reruns).toEqual([]);
    // fetch: 1 call per run; loop: 3 items; flaky: 2 refusals then a success.
    const http = checkHttpCalls(rows.executions, rows.events, rows.blocks, target.calls);
    expect(http.counts).toEqual({ calls: 2 * (1 + 3 + FLAKY_FAILURES + 1), http_nodes: 2 * (1 + 3 + 1), http_nodes_matched: 10, http_rerun_calls: 0 });
  });

  it("count an attempt interrupted mid-call and run again with the same key as a re-run, not a miss", () => {
    const fetchRow = rows.blocks.find((b) => b.nodeId === "fetch")!;
    const start = rows.events.find((e) => e.executionId === fetchRow.executionId && e.nodeId === "fetch" && e.type === "node_start")!;
    const call = target.calls.find((c) => c.node === "fetch" && rows.executions.find((e) => e.id === fetchRow.executionId)!.tag === c.tag)!;
    // The first attempt started and called, then its process died; the second ran to the end.
    const events = rows.events.map((e) => (e.executionId === start.executionId && e.index > start.index ? { ...e, index: e.index + 1 } : e));
    events.push({ ...start, index: start.index + 1, attempt: 2 });
    const executions = rows.executions.map((e) => (e.id === start.executionId ? { ...e, nextEventIndex: e.nextEventIndex + 1 } : e));
    const blocks = rows.blocks.map((b) => (b === fetchRow ? { ...b, attempt: 2 } : b));
    const calls = [...target.calls, { ...call, at: call.at + 1 }];
    expect(missesOf({ executions, events, blocks }, calls)).toEqual([]);
    expect(checkNodeRuns(events, blocks).reruns).toEqual([`${fetchRow.executionId}/fetch/`]);
    expect(checkHttpCalls(executions, events, blocks, calls).counts.http_rerun_calls).toBe(1);
  });

  it("fail a node completed again, an extra call, a call with another key and a call of no run", () => {
    const b = rows.blocks.find((r) => r.nodeId === "b")!;
    const run = rows.executions.find((e) => e.id === b.executionId)!;
    const again: EventRow[] = [
      { executionId: run.id, index: run.nextEventIndex, type: "node_start", nodeId: "b", iteration: "", attempt: 2 },
      { executionId: run.id, index: run.nextEventIndex + 1, type: "node_complete", nodeId: "b", iteration: "", attempt: null },
    ];
    const ranTwice = checkNodeRuns([...rows.events, ...again], rows.blocks).misses;
    expect(ranTwice).toEqual([`${run.id}/b/: completed 2 times`, `${run.id}/b/: ran again after it completed (node_start#${run.nextEventIndex}, node_complete#${run.nextEventIndex + 1})`]);

    const flaky = target.calls.find((c) => c.node === "flaky")!;
    const item = target.calls.find((c) => c.node === "item")!;
    const calls = [...target.calls, { ...flaky }, { ...item, key: "another-key" }, { ...item, tag: "nobody" }];
    const misses = checkHttpCalls(rows.executions, rows.events, rows.blocks, calls).misses;
    // The call with another key is also one call more than the item's attempts.
    expect(misses).toHaveLength(4);
    expect(misses[0]).toMatch(/^a call to \/quick for tag "nobody" \(node item\) belongs to no run$/);
    expect(misses.some((m) => /\/flaky\/: 4 calls but only 3 attempts started$/.test(m))).toBe(true);
    expect(misses.some((m) => /\/item\/\d: 2 different idempotency keys/.test(m))).toBe(true);
    expect(misses.some((m) => /\/item\/\d: 2 calls but only 1 attempts started$/.test(m))).toBe(true);
  });

  it("fail a gap in the event log, a run left running and a failed run (with its error), read back from the database", async () => {
    const [gapRun, stuckRun] = rows.executions.filter((e) => e.tag?.startsWith("functions"));
    await api.database.sql`delete from execution_events where execution_id = ${gapRun!.id} and event_index = 3`;
    await api.database.sql`update flow_executions set status = 'running' where id = ${stuckRun!.id}`;
    const failedRun = rows.executions.find((e) => e.tag === "delay0")!;
    await api.database.sql`update flow_executions set status = 'failed', error = ${JSON.stringify({ code: "INTERNAL", message: "The engine failed" })}::jsonb where id = ${failedRun.id}`;
    const tampered = await load();
    expect(checkEventIndexes(tampered.executions, tampered.events).misses).toEqual([`run ${gapRun!.id}: event index 4 where 3 was expected (${rows.events.filter((e) => e.executionId === gapRun!.id).length - 1} events)`]);
    expect(checkTerminal(tampered.executions).misses.sort()).toEqual(
      [`run ${stuckRun!.id} is still running`, `run ${failedRun.id} ended failed (every soak flow is meant to complete): INTERNAL: The engine failed`].sort(),
    );
  });
});
