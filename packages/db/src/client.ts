import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The drizzle database (postgres.js underneath, for the embedded and external servers alike). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A database or a transaction: what services accept so they can join a caller's transaction. */
export type DbOrTx = Db | Tx;

export type DatabaseHandle = {
  db: Db;
  /** The raw client, for migrations, LISTEN/NOTIFY, COPY and tests. */
  sql: postgres.Sql;
  url: string;
  close: () => Promise<void>;
};

export type CreateDatabaseOptions = { url: string; max?: number };

/** Opens a pool on a Postgres server (the embedded one or DATABASE_URL). */
export async function createDatabase(options: CreateDatabaseOptions): Promise<DatabaseHandle> {
  const sql = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} });
  const db = drizzle(sql, { schema }) as unknown as Db;
  return { db, sql, url: options.url, close: () => sql.end({ timeout: 5 }) };
}
