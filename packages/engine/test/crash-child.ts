/**
 * A worker process for the crash test: opens the database given in the environment, creates the
 * execution, prints its id, and runs it until
 * the test SIGKILLs this process.
 */
import { createDatabase, migrate } from "@weft/db";
import { createTestEngine, edge, node } from "../src/testing";
import { seedFlow } from "./support";

const url = process.env.CRASH_DATABASE_URL!;
const sinkUrl = process.env.CRASH_SINK_URL!;

const handle = await createDatabase({ url });
await migrate(handle);
const graph = {
  nodes: [
    node("n1", "source"),
    node("n2", "function", { code: "return { value: input.value + 1 };" }),
    node("n3", "http", { method: "POST", url: `${sinkUrl}/sink`, body: "{{ input }}" }),
    node("n4", "function", { code: "return { status: input.status, echoed: input.body };" }),
    node("n5", "sink"),
  ],
  edges: [edge("n1", "n2"), edge("n2", "n3"), edge("n3", "n4"), edge("n4", "n5")],
};
const seed = await seedFlow(handle.db, graph);
const t = await createTestEngine(handle, { owner: "doomed-worker", leaseMs: 1_000, heartbeatMs: 200 });
const execution = await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph, input: { value: 41 } });
process.stdout.write(`${JSON.stringify({ executionId: execution.id })}\n`);
await t.engine.start();
// Run until killed.
setInterval(() => {}, 1_000);
