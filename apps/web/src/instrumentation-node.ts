/**
 * Server boot (Node runtime): validates the environment, opens the database and applies pending
 * migrations, so a misconfiguration (an invalid variable, an embedded database that cannot start,
 * an unreachable Postgres) stops the server at boot with a clear message instead of
 * failing the first request.
 */
export async function registerNode(): Promise<void> {
  watchSupervisor();
  try {
    const { getDatabase } = await import("./server/db");
    const database = await getDatabase();
    console.log(`[weft] database ready: ${database.description}`);
    const { getEngine } = await import("./server/engine");
    await getEngine();
    console.log("[weft] engine running");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\n[weft] cannot start: ${message}\n`);
    process.exit(1);
  }
}

/**
 * Under `npm start` (scripts/start.mjs) the server is its own process group, so that signals reach
 * it; if the supervisor is killed outright (SIGKILL), stop gracefully rather than keep the port and
 * the data folder forever.
 */
function watchSupervisor(): void {
  const supervisor = Number(process.env.WEFT_SUPERVISOR_PID);
  if (!Number.isInteger(supervisor) || supervisor <= 0 || process.ppid !== supervisor) return;
  setInterval(() => {
    if (process.ppid !== supervisor) {
      console.error("[weft] the `npm start` process went away: stopping the server");
      process.kill(process.pid, "SIGTERM");
    }
  }, 1000).unref();
}
