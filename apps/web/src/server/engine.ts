import "server-only";
import { createRetentionJob, createScheduler, getConnectionSecret, loadRunVariables } from "@weft/api";
import { createNotifyBus } from "@weft/db";
import { createWeftEngine, type Engine } from "@weft/engine";
import { getApi } from "./api";
import { getDatabase } from "./db";
import { env } from "./env";

const globalForEngine = globalThis as typeof globalThis & { __weftEngine?: Promise<Engine> };

/**
 * The engine singleton of this process (web and engine in one process, the embedded default; with
 * DATABASE_URL, more web instances and `apps/worker` processes can share the work through leases).
 * The schedule scheduler runs beside it: every process may run one (due schedules are claimed with
 * SKIP LOCKED and each slot is recorded once).
 */
export function getEngine(): Promise<Engine> {
  globalForEngine.__weftEngine ??= start().catch((error: unknown) => {
    globalForEngine.__weftEngine = undefined;
    throw error;
  });
  return globalForEngine.__weftEngine;
}

async function start(): Promise<Engine> {
  const handle = await getDatabase();
  const { deps } = await getApi();
  const engine = await createWeftEngine({
    db: handle.db,
    bus: createNotifyBus(handle),
    http: { allowHosts: env.WEFT_HTTP_ALLOW_HOSTS },
    getConnection: async ({ workspaceId, connectionId }) => {
      const connection = await getConnectionSecret(deps, { workspaceId, connectionId });
      return { name: connection.name, provider: connection.provider, apiKey: connection.apiKey, baseUrl: connection.baseUrl };
    },
    getVariables: ({ workspaceId }) => loadRunVariables(deps, { workspaceId }),
    onError: (error) => console.error("[weft] engine error", error),
  });
  await engine.start();
  // Runs this process creates start here at once (direct dispatch; sync webhooks wait in-process).
  deps.engine = engine;
  const scheduler = createScheduler({ deps, onError: (error) => console.error("[weft] scheduler error", error) });
  scheduler.start();
  // Deletes what has outlived each workspace's retention period, in small batches (services/retention).
  const retention = createRetentionJob({
    deps,
    onReport: (report) => console.log(`[weft] retention: removed ${JSON.stringify(report)}`),
    onError: (error) => console.error("[weft] retention error", error),
  });
  retention.start();
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => void Promise.all([scheduler.stop(), retention.stop(), engine.stop()]).catch(() => undefined));
  }
  return engine;
}
