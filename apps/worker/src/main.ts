/**
 * `apps/worker`: a standalone engine process for scale-out. Any number of them (and of web instances)
 * share one Postgres (DATABASE_URL, or the embedded one `npm start` runs for the same WEFT_DATA_DIR): executions are claimed with leases and SKIP LOCKED, woken by NOTIFY, and a
 * crashed worker's runs are resumed by another once its lease expires. Each worker also runs the
 * schedule scheduler (due schedules claimed with SKIP LOCKED, each slot recorded once). SIGTERM/SIGINT
 * stop claiming, hand the leases back, and exit.
 */
import { createRetentionJob, createScheduler, createSecretBox, getConnectionSecret, loadRunVariables, resolveEncryptionKey } from "@weft/api";
import { connectDatabase, createNotifyBus, findMigrationsFolder, migrate } from "@weft/db";
import { createWeftEngine } from "@weft/engine";
import { parseEnv } from "./env";

let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv();
} catch (error) {
  console.error(`[weft-worker] cannot start:\n${(error as Error).message}`);
  process.exit(1);
}

let handle: Awaited<ReturnType<typeof connectDatabase>>;
try {
  // DATABASE_URL, else the embedded database `npm start` runs for this data folder (never started here:
  // a worker must not own the server the web process depends on).
  handle = await connectDatabase({ url: env.DATABASE_URL, dataDir: env.dataDir, owner: "apps/worker", startEmbedded: false });
} catch (error) {
  console.error(`[weft-worker] cannot start:\n${(error as Error).message}`);
  process.exit(1);
}
await migrate(handle, findMigrationsFolder(env.repoRoot));
const secrets = createSecretBox(resolveEncryptionKey({ explicitKey: env.WEFT_ENCRYPTION_KEY, dataDir: env.dataDir }));
const engine = await createWeftEngine({
  db: handle.db,
  bus: createNotifyBus(handle),
  http: { allowHosts: env.WEFT_HTTP_ALLOW_HOSTS },
  maxExecutions: env.WEFT_WORKER_CONCURRENCY,
  getConnection: async ({ workspaceId, connectionId }) => {
    const connection = await getConnectionSecret({ db: handle.db, secrets }, { workspaceId, connectionId });
    return { name: connection.name, provider: connection.provider, apiKey: connection.apiKey, baseUrl: connection.baseUrl };
  },
  getVariables: ({ workspaceId }) => loadRunVariables({ db: handle.db, secrets }, { workspaceId }),
  onError: (error) => console.error("[weft-worker] engine error", error),
});
await engine.start();
const scheduler = createScheduler({
  deps: { db: handle.db, executions: engine.store, now: () => new Date() },
  onError: (error) => console.error("[weft-worker] scheduler error", error),
});
scheduler.start();
const retention = createRetentionJob({
  deps: { db: handle.db, executions: engine.store, now: () => new Date() },
  onReport: (report) => console.log(`[weft-worker] retention: removed ${JSON.stringify(report)}`),
  onError: (error) => console.error("[weft-worker] retention error", error),
});
retention.start();
console.log(`[weft-worker] ${engine.owner} is running on ${handle.description}`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`[weft-worker] ${signal}: handing back leases`);
    void Promise.all([scheduler.stop(), retention.stop()])
      .then(() => engine.stop({ release: true }))
      .then(() => handle.close())
      .then(() => process.exit(0), () => process.exit(1));
  });
}
