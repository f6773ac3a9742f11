/**
 * `npm run db:migrate` (and step 3 of `npm start`): applies pending migrations from drizzle/ to the
 * database the server uses: DATABASE_URL when set, else the embedded PostgreSQL in WEFT_DATA_DIR
 * (default <repo>/.data). Configuration is parsed by the app's own schema (apps/web/src/server/env.ts),
 * so an invalid variable fails here, before the server starts.
 */
import fs from "node:fs";
import path from "node:path";
import { connectDatabase, EmbeddedDatabaseError, migrate, type DatabaseHandle } from "@weft/db";
import { loadRootEnv, repoRoot } from "./lib/repo.mjs";

type Journal = { entries: { idx: number; tag: string }[] };

/** How many migrations drizzle has recorded as applied (0 on a fresh database). */
async function appliedCount(handle: DatabaseHandle): Promise<number> {
  const [row] = await handle.sql<{ present: boolean }[]>`select to_regclass('drizzle.__drizzle_migrations') is not null as present`;
  if (!row?.present) return 0;
  const [counted] = await handle.sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
  return counted?.n ?? 0;
}

async function main(): Promise<void> {
  loadRootEnv();
  // Imported only now: env.ts parses process.env when it is first evaluated.
  const { connectOptions } = await import("../apps/web/src/server/env");

  const migrationsFolder = path.join(repoRoot, "drizzle");
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as Journal;
  const started = performance.now();

  // Joins the embedded server when `npm start` runs it; otherwise starts it for the migration only.
  const handle = await connectDatabase(connectOptions("npm run db:migrate"));
  const target = handle.description;
  try {
    const before = await appliedCount(handle);
    await migrate(handle, migrationsFolder);
    const after = await appliedCount(handle);
    const ms = Math.round(performance.now() - started);
    const applied = journal.entries.slice(before, after).map((entry) => entry.tag);
    if (applied.length === 0) {
      console.log(`[weft] migrate: ${target} is up to date (${after} migrations applied, ${ms} ms)`);
    } else {
      console.log(
        `[weft] migrate: applied ${applied.length} migration(s) to ${target}: ${applied.join(", ")} ` +
          `(${after}/${journal.entries.length} applied, ${ms} ms)`,
      );
    }
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  // Expected failures (bad configuration, an embedded database that cannot start) are reported by message alone.
  const expected = error instanceof EmbeddedDatabaseError || (error instanceof Error && error.name === "ConfigError");
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[weft] migrate failed: ${message}`);
  if (!expected && error instanceof Error && error.stack) console.error(error.stack);
  process.exitCode = 1;
});
