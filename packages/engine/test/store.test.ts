import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@weft/db/testing";
import { blockExecutionStatus, createNotifyBus, executionEvents, executionStatus, eq, flowExecutions, sql } from "@weft/db";
import { blockExecutionStatuses, executionStatuses } from "@weft/flow";
import { createExecutionStore, EVENTS_CHANNEL, type ExecutionStore } from "../src/store/execution-store";
import { LeaseLostError, TransitionRefusedError } from "../src/store/errors";
import { seedFlow } from "./support";

let database: TestDatabase;
let store: ExecutionStore;
let seed: Awaited<ReturnType<typeof seedFlow>>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  database = await createTestDatabase();
  store = createExecutionStore({ db: database.db, bus: createNotifyBus(database) });
  seed = await seedFlow(database.db);
});
afterAll(async () => database?.close());

const newExecution = () => store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph: { nodes: [], edges: [] }, input: { a: 1 } });

describe("execution store", () => {
  it("commits a transition's events with contiguous indexes and notifies once per batch", async () => {
    const execution = await newExecution();
    const notes: string[] = [];
    const unlisten = await createNotifyBus(database).listen(EVENTS_CHANNEL, (p) => notes.push(p));
    const [claimed] = await store.claim({ owner: "w1", leaseMs: 5000, onlyId: execution.id });
    expect(claimed?.id).toBe(execution.id);
    const a = await store.commit({ executionId: execution.id, owner: "w1", from: ["pending"], to: "running", events: [{ type: "execution_start" }] });
    const b = await store.commit({ executionId: execution.id, owner: "w1", events: [{ type: "node_start", nodeId: "x", blockType: "function", attempt: 1 }, { type: "node_complete", nodeId: "x", output: null }] });
    expect([a.firstIndex, a.lastIndex, b.firstIndex, b.lastIndex]).toEqual([0, 0, 1, 2]);
    const rows = await database.db.select().from(executionEvents).where(eq(executionEvents.executionId, execution.id));
    expect(rows.map((r) => [r.eventIndex, r.type])).toEqual([[0, "execution_start"], [1, "node_start"], [2, "node_complete"]]);
    for (let i = 0; i < 50 && notes.length < 2; i++) await sleep(10);
    expect(notes).toEqual([`${execution.id}:0`, `${execution.id}:2`]);
    await unlisten();
  });

  it("refuses a transition from the wrong status in the database, writing nothing", async () => {
    const execution = await newExecution();
    await store.claim({ owner: "w1", leaseMs: 5000, onlyId: execution.id });
    await expect(
      store.commit({ executionId: execution.id, owner: "w1", from: ["paused"], to: "running", events: [{ type: "execution_resumed" }], action: "resume" }),
    ).rejects.toBeInstanceOf(TransitionRefusedError);
    const [row] = await database.db.select().from(flowExecutions).where(eq(flowExecutions.id, execution.id));
    expect(row).toMatchObject({ status: "pending", nextEventIndex: 0 });
  });

  it("lets exactly one of two racing workers claim an expired lease, and fences the loser out", async () => {
    const execution = await newExecution();
    // Leases are long and expired on purpose (not by sleeping), so a slow machine cannot let one
    // expire between the two claims of a round.
    const expireLease = () =>
      database.db.update(flowExecutions).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(flowExecutions.id, execution.id));
    await store.claim({ owner: "old", leaseMs: 60_000, onlyId: execution.id });
    await store.commit({ executionId: execution.id, owner: "old", from: ["pending"], to: "running", events: [{ type: "execution_start" }] });
    await expireLease();
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([
        store.claim({ owner: `a${round}`, leaseMs: 60_000, onlyId: execution.id }),
        store.claim({ owner: `b${round}`, leaseMs: 60_000, onlyId: execution.id }),
      ]);
      expect(results.filter((r) => r.length === 1)).toHaveLength(1);
      await expireLease();
    }
    const [winner] = await store.claim({ owner: "winner", leaseMs: 5000, onlyId: execution.id });
    expect(winner?.leaseOwner).toBe("winner");
    // The old owner and the losers cannot write any more.
    await expect(store.commit({ executionId: execution.id, owner: "old", events: [{ type: "node_start", nodeId: "x", blockType: "function", attempt: 1 }] })).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.heartbeat({ executionId: execution.id, owner: "a0", leaseMs: 1000 })).toEqual({ ok: false });
    await store.commit({ executionId: execution.id, owner: "winner", events: [{ type: "node_start", nodeId: "x", blockType: "function", attempt: 1 }] });
    const events = await store.events(execution.id);
    expect(events.map((e) => e.index)).toEqual([0, 1]);
  });

  it("does not hand out a live lease", async () => {
    const execution = await newExecution();
    expect(await store.claim({ owner: "w1", leaseMs: 5000, onlyId: execution.id })).toHaveLength(1);
    expect(await store.claim({ owner: "w2", leaseMs: 5000, onlyId: execution.id })).toHaveLength(0);
  });
});

it("keeps the database's status enums equal to the status lists of packages/flow", () => {
  expect(executionStatus.enumValues).toEqual([...executionStatuses]);
  expect(blockExecutionStatus.enumValues).toEqual([...blockExecutionStatuses]);
});
