import { createDatabase, findMigrationsFolder, migrate, type DatabaseHandle } from "@weft/db";
import { databaseOptions, repoRoot } from "./env";

type DatabaseState = {
  opening?: Promise<DatabaseHandle>;
  handle?: DatabaseHandle;
  shutdownHooked?: boolean;
};

// Cached on globalThis so `next dev` hot reloads reuse the open database: PGlite allows one owner
// per data folder, and a second open in the same process would only waste memory.
const globalForDb = globalThis as typeof globalThis & { __weftDatabase?: DatabaseState };
const state: DatabaseState = (globalForDb.__weftDatabase ??= {});

/**
 * The process-wide database: opened on first use (Postgres when DATABASE_URL is set, else embedded
 * PGlite in WEFT_DATA_DIR) and migrated once. A failed open is not cached, so a later call retries.
 */
export async function getDatabase(): Promise<DatabaseHandle> {
  if (process.env.NEXT_PHASE === "phase-production-build") {
    // `next build` is prerendering a page that reads the database. The database belongs to the
    // running server, not to the build (a build must not take the data-folder lock nor bake rows
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

async function open(): Promise<DatabaseHandle> {
  const handle = await createDatabase(databaseOptions());
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
