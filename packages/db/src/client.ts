import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";
import { lockDataDir } from "./lock";

export type Schema = typeof schema;
/** The drizzle database, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A database or a transaction: what services accept so they can join a caller's transaction. */
export type DbOrTx = Db | Tx;

export type DatabaseHandle = {
  db: Db;
  driver: "pglite" | "postgres";
  /** Raw clients, for migrations, LISTEN/NOTIFY and tests. */
  pglite?: PGlite;
  sql?: postgres.Sql;
  url?: string;
  close: () => Promise<void>;
};

export type CreateDatabaseOptions =
  | { url: string; max?: number }
  | { dataDir: string }
  | { memory: true; loadDataDir?: Blob | File };

/**
 * Opens the database: Postgres when a URL is given, otherwise embedded PGlite, file-backed under
 * `dataDir` (locked against a second process) or in memory (tests).
 */
export async function createDatabase(options: CreateDatabaseOptions): Promise<DatabaseHandle> {
  if ("url" in options) {
    const sql = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(sql, { schema }) as unknown as Db;
    return { db, driver: "postgres", sql, url: options.url, close: () => sql.end({ timeout: 5 }) };
  }
  if ("dataDir" in options) {
    const release = lockDataDir(options.dataDir);
    try {
      const pglite = await PGlite.create(path.join(options.dataDir, "pglite"));
      const db = drizzlePglite(pglite, { schema }) as unknown as Db;
      return {
        db,
        driver: "pglite",
        pglite,
        close: async () => {
          await pglite.close();
          release();
        },
      };
    } catch (error) {
      release();
      throw error;
    }
  }
  const pglite = await PGlite.create({ loadDataDir: options.loadDataDir });
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  return { db, driver: "pglite", pglite, close: () => pglite.close() };
}
