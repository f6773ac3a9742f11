import { createNotifyBus, eq, flowExecutions, type DatabaseHandle } from "@weft/db";
import type { ExecutionStatus } from "./core/status";
import { createWeftEngine, type WeftEngineOptions } from "./create";

type GraphNode = { id: string; type: string; position: { x: number; y: number }; data: Record<string, unknown> };

/** Test helpers: build graphs tersely and run them on a real engine over a real database. */
export const node = (id: string, type: string, config: Record<string, unknown> = {}, data: Record<string, unknown> = {}): GraphNode => ({
  id,
  type,
  position: { x: 0, y: 0 },
  data: { config, ...data },
});
export const edge = (source: string, target: string, sourceHandle?: string) => ({
  id: `${source}->${target}${sourceHandle ? `:${sourceHandle}` : ""}`,
  source,
  target,
  ...(sourceHandle ? { sourceHandle } : {}),
});

export async function createTestEngine(handle: DatabaseHandle, options: Partial<WeftEngineOptions> = {}) {
  const bus = createNotifyBus(handle);
  const engine = await createWeftEngine({
    db: handle.db,
    bus,
    http: { allowHosts: ["127.0.0.1"] },
    getConnection: async () => {
      throw new Error("no connection configured in this test");
    },
    leaseMs: 3_000,
    heartbeatMs: 100,
    pollMs: 100,
    streamFlushMs: 20,
    ...options,
  });
  const store = engine.store;

  async function waitFor(executionId: string, statuses: ExecutionStatus[], timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Polls the status alone (one indexed row): loading every block row each time would compete
      // with the engine for the database.
      const [row] = await handle.db.select({ status: flowExecutions.status }).from(flowExecutions).where(eq(flowExecutions.id, executionId));
      if (row && statuses.includes(row.status)) {
        const loaded = await store.load(executionId);
        if (loaded && statuses.includes(loaded.execution.status)) return loaded;
      }
      if (Date.now() > deadline) throw new Error(`execution ${executionId} is ${row?.status}, not ${statuses.join("/")}, after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  return { engine, bus, store, waitFor };
}
