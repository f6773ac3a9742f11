import { connectDatabase, findMigrationsFolder, migrate, type ConnectedDatabase } from "@weft/db";
import { connectOptions, repoRoot } from "./env";

type DatabaseState = {
  opening?: Promise<ConnectedDatabase>;
  handle?: ConnectedDatabase;
  shutdownHooked?: boolean;
};

// Cached on globalThis so `next dev` hot reloads reuse the open database (and, under `next dev`, the
// embedded server this process started) instead of opening a second one.
const globalForDb = globalThis as typeof globalThis & { __weftDatabase?: DatabaseState };
const state: DatabaseState = (globalForDb.__weftDatabase ??= {});

/**
 * The process-wide database: opened on first use (DATABASE_URL when set, else the embedded
 * PostgreSQL in WEFT_DATA_DIR) and migrated once. A failed open is not cached, so a later call retries.
 */
export async function getDatabase(): Promise<ConnectedDatabase> {
  if (process.env.NEXT_PHASE === "phase-production-build") {
    // `next build` is prerendering a page that reads the database. The database belongs to the
    // running server, not to the build (a build must not start the embedded server nor bake rows
    // into static HTML): connection() makes that page dynamic instead.
    const { connection } = await import("next/server");
    await connection();
  }
  state.opening ??= open().catch((error: unknown) => {
    state.opening = undefined;
    throw error;
  });
  return state.opening;
}

async function open(): Promise<ConnectedDatabase> {
  const handle = await connectDatabase(connectOptions("the web server"));
  watchEmbedded(handle);
  try {
    await migrate(handle, findMigrationsFolder(repoRoot));
  } catch (error) {
    await handle.close();
    throw error;
  }
  state.handle = handle;
  hookShutdown();
  return handle;
}

/** Closes the database (idempotent). The next getDatabase() opens it again. */
export async function closeDatabase(): Promise<void> {
  const handle = state.handle;
  state.handle = undefined;
  state.opening = undefined;
  if (handle) await handle.close();
}

/**
 * When this process started the embedded server itself (`next dev`), the server dying under it is
 * fatal: say why, with its last log lines, and exit non-zero. The next start recovers.
 */
function watchEmbedded(handle: ConnectedDatabase): void {
  const embedded = handle.embedded;
  if (!embedded) return;
  void embedded.exited.then(({ code, signal }) => {
    if (state.handle !== handle) return; // closed on purpose
    console.error(
      `[weft] the embedded database (${embedded.pgDir}) stopped unexpectedly (${signal ?? `exit code ${code}`}). Last log lines:\n` +
        embedded.lastLog().map((line) => `  ${line}`).join("\n"),
    );
    process.exit(1);
  });
}

function hookShutdown(): void {
  if (state.shutdownHooked) return;
  state.shutdownHooked = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void closeDatabase()
        .catch((error: unknown) => console.error("[weft] closing the database failed:", error))
        .finally(() => {
          // Next's own handler normally exits the process after draining requests. If nobody else
          // handles the signal, re-raise it so the default action (terminate) still happens.
          if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        });
    });
  }
}
