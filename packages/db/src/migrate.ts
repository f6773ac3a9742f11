import fs from "node:fs";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { DatabaseHandle } from "./client";

/** Finds the repository's `drizzle/` folder, walking up from `from` (default: the working directory). */
export function findMigrationsFolder(from = process.cwd()): string {
  // turbopackIgnore: a runtime lookup, not a file the server bundle should trace.
  let dir = path.resolve(/*turbopackIgnore: true*/ from);
  for (;;) {
    const candidate = path.join(dir, "drizzle");
    if (fs.existsSync(path.join(candidate, "meta", "_journal.json"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No drizzle/ migrations folder found above ${from}`);
    dir = parent;
  }
}

// Any fixed number: serialises migrations of several processes starting at once on one Postgres.
const MIGRATION_LOCK = 727_274_001;

/** Applies pending migrations. Idempotent: applied ones are recorded by drizzle and skipped. */
export async function migrate(handle: DatabaseHandle, migrationsFolder = findMigrationsFolder()): Promise<void> {
  // One connection (max: 1) holds a session-level advisory lock while drizzle migrates through it.
  const client = postgres(handle.url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzle(client), { migrationsFolder });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end();
  }
}
