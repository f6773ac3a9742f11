// Direct dispatch and the one-statement commit: a run created by the process that runs it (lease
// taken in the insert, nothing read back), its commits counted at the driver, its end known
// in-process; a dispatched run whose process died before running it is recovered by a claim; and the
// block-row merge rules exist once, in weft_upsert_blocks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, eq, flowExecutions, sql, type DatabaseHandle } from "@weft/db";
import { createTestDatabase, type TestDatabase } from "@weft/db/testing";
import { createTestEngine, edge, node } from "../src/testing";
import { expectEventsFollowContract, seedFlow } from "./support";

let database: TestDatabase;
let counted: DatabaseHandle;
const counts = { statements: 0, transactions: 0 };

const chain = {
  nodes: [
    node("in", "source"),
    node("a", "function", { code: "return { n: input.n + 1 };" }),
    node("b", "function", { code: "return { n: input.n * 2 };" }),
    node("c", "function", { code: "return { n: input.n - 3 };" }),
    node("out", "sink"),
  ],
  edges: [edge("in", "a"), edge("a", "b"), edge("b", "c"), edge("c", "out")],
};

beforeAll(async () => {
  database = await createTestDatabase();
  counted = await createDatabase({
    url: database.url,
    observe: {
      statement: (_text, inTransaction) => {
        if (process.env.DEBUG_SQL) console.log("SQL", inTransaction, _text.slice(0, 120));
        counts.statements++;
        if (!inTransaction) counts.transactions++;
      },
      transaction: () => {
        if (process.env.DEBUG_SQL) console.log("BEGIN");
        counts.transactions++;
      },
    },
  });
});
afterAll(async () => {
  await counted?.close();
  await database?.close();
});

describe("direct dispatch", () => {
  it("runs a run it created at once: one insert, one commit for the whole chain, its end known in-process", async () => {
    const seed = await seedFlow(database.db, chain);
    // Long poll and heartbeat: nothing but the run itself is counted. Windows long enough that a busy
    // machine cannot split the commit (what is counted does not depend on timing).
    const t = await createTestEngine(counted, { pollMs: 60_000, heartbeatMs: 60_000, leaseMs: 180_000, groupCommitMs: 10_000, startEventDelayMs: 60_000 });
    await t.engine.start();
    try {
      // A first run warms the sandbox workers up (its commits may not all fit one group-commit window).
      await t.engine.adopt(await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph: chain, input: { n: 0 } }, undefined, t.engine.lease()!));
      for (let i = 0; i < 3; i++) {
        const before = { ...counts };
        const lease = t.engine.lease();
        expect(lease).not.toBeNull();
        const execution = await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph: chain, input: { n: i } }, undefined, lease!);
        expect(execution).toMatchObject({ status: "running", leaseOwner: t.engine.owner, nextEventIndex: 0 });
        const end = await t.engine.adopt(execution);
        expect(end).toEqual({ status: "completed", output: { n: (i + 1) * 2 - 3 }, error: null });
        // The insert and one weft_commit: the start event, five nodes and the end in one statement.
        expect({ statements: counts.statements - before.statements, transactions: counts.transactions - before.transactions }).toEqual({ statements: 2, transactions: 2 });
        const done = await t.waitFor(execution.id, ["completed"]);
        expect(done.execution.output).toEqual({ n: (i + 1) * 2 - 3 });
        expect(done.blocks.map((b) => b.status)).toEqual(["completed", "completed", "completed", "completed", "completed"]);
        const events = await t.store.events(execution.id);
        expect(events.map((e) => e.type)).toEqual(["execution_start", ...Array.from({ length: 5 }, () => ["node_start", "node_complete"]).flat(), "execution_complete"]);
        expect(events.map((e) => e.index)).toEqual(events.map((_, n) => n));
      }
    } finally {
      await t.engine.stop();
    }
    await expectEventsFollowContract(database.db);
  });

  it("recovers a dispatched run whose process never ran it: claimed once the lease expires, started from its first event", async () => {
    const seed = await seedFlow(database.db, chain);
    const t = await createTestEngine(database, { leaseMs: 3_000 });
    const execution = await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph: chain, input: { n: 10 } }, undefined, { owner: "died", leaseMs: 60_000 });
    await database.db.update(flowExecutions).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(flowExecutions.id, execution.id));
    await t.engine.start();
    try {
      const done = await t.waitFor(execution.id, ["completed"]);
      expect(done.execution.output).toEqual({ n: 19 });
      const events = await t.store.events(execution.id);
      expect(events[0]).toMatchObject({ index: 0, type: "execution_start" });
      expect(events.filter((e) => e.type === "execution_start")).toHaveLength(1);
    } finally {
      await t.engine.stop();
    }
  });

  it("keeps the block-row merge rules in one SQL function that every commit path calls", async () => {
    const rows = await database.db.execute(
      sql`select p.proname as name, p.prosrc ilike '%insert into block_executions%' as inserts, p.prosrc ilike '%weft_upsert_blocks%' as calls from pg_proc p where p.proname like 'weft\\_%' order by 1`,
    );
    const found = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as Array<{ name: string; inserts: boolean; calls: boolean }>;
    const byName = Object.fromEntries(found.map((f) => [f.name, f]));
    expect(found.filter((f) => f.inserts).map((f) => f.name)).toEqual(["weft_upsert_blocks"]);
    expect(byName.weft_commit?.calls).toBe(true);
    expect(byName.weft_commit_node?.calls).toBe(true);
  });
});
