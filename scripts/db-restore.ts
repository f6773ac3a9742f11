/**
 * `npm run db:restore FILE [--replace]`: loads a `npm run db:dump` file into the database `npm start`
 * uses (DATABASE_URL, else the embedded PostgreSQL of WEFT_DATA_DIR), migrated first, in one
 * transaction: refused (nothing written) when the target already has rows, unless --replace.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { connectDatabase, EmbeddedDatabaseError, findMigrationsFolder, migrate, restoreDatabase, RestoreRefusedError } from "@weft/db";
import { loadRootEnv, repoRoot } from "./lib/repo.mjs";

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { replace: { type: "boolean", default: false } } });
  if (positionals.length !== 1) throw new RestoreRefusedError("usage: npm run db:restore -- FILE [--replace]");
  const file = path.resolve(positionals[0]!);
  if (!fs.existsSync(file)) throw new RestoreRefusedError(`${file} does not exist`);
  loadRootEnv();
  const { connectOptions } = await import("../apps/web/src/server/env");
  const handle = await connectDatabase(connectOptions("npm run db:restore"));
  try {
    await migrate(handle, findMigrationsFolder(repoRoot));
    const started = performance.now();
    const header = await restoreDatabase(handle, file, { replace: values.replace });
    const rows = header.tables.reduce((sum, t) => sum + t.rows, 0);
    console.log(`[weft] restore: ${rows} rows of ${header.tables.length} tables from ${file} (dumped ${header.createdAt}) into ${handle.description} (${Math.round(performance.now() - started)} ms)`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(`[weft] restore failed: ${error instanceof Error ? error.message : String(error)}`);
  const expected = error instanceof RestoreRefusedError || error instanceof EmbeddedDatabaseError;
  if (!expected && error instanceof Error && error.stack) console.error(error.stack);
  process.exitCode = 1;
});
