/**
 * `npm run db:dump [FILE]`: writes every row of the database `npm start` uses (DATABASE_URL, else the
 * embedded PostgreSQL of WEFT_DATA_DIR, joined when running, started for the dump otherwise) to a
 * gzip file (default weft-<timestamp>.dump.gz). Restore it with `npm run db:restore FILE`, here or on
 * a managed Postgres. Secrets in it are encrypted: keep the encryption key with the file.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { connectDatabase, dumpDatabase, EmbeddedDatabaseError } from "@weft/db";
import { loadRootEnv } from "./lib/repo.mjs";

async function main(): Promise<void> {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  loadRootEnv();
  const { connectOptions, dataDir } = await import("../apps/web/src/server/env");
  const file = path.resolve(positionals[0] ?? `weft-${new Date().toISOString().replaceAll(/[:.]/g, "-")}.dump.gz`);
  const handle = await connectDatabase(connectOptions("npm run db:dump"));
  try {
    const started = performance.now();
    const header = await dumpDatabase(handle, file);
    const rows = header.tables.reduce((sum, t) => sum + t.rows, 0);
    console.log(`[weft] dump: ${rows} rows of ${header.tables.length} tables from ${handle.description} -> ${file} (${Math.round(performance.now() - started)} ms)`);
    console.log(
      process.env.WEFT_ENCRYPTION_KEY
        ? "[weft] stored secrets are encrypted with WEFT_ENCRYPTION_KEY: keep that key with this file."
        : `[weft] stored secrets are encrypted with ${path.join(dataDir, "encryption.key")}: copy that file with this dump (or set WEFT_ENCRYPTION_KEY to its base64 content where you restore).`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(`[weft] dump failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof EmbeddedDatabaseError) && error instanceof Error && error.stack) console.error(error.stack);
  process.exitCode = 1;
});
