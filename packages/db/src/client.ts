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

/** Sees every statement sent through `db` (benches count statements and transactions with it). */
export type StatementObserver = {
  /** One SQL statement (BEGIN/COMMIT of `db.transaction` not included); `inTransaction` when inside one. */
  statement?: (text: string, inTransaction: boolean) => void;
  /** One explicit transaction started (`db.transaction`). */
  transaction?: () => void;
};

export type CreateDatabaseOptions = { url: string; max?: number; observe?: StatementObserver };

/**
 * Opens a pool on a Postgres server (the embedded one or DATABASE_URL). Statements with parameters
 * sent through `db` are named and prepared (postgres.js `prepare: true`): parsed and planned once per
 * connection, not on every call (drizzle would send them unnamed).
 */
export async function createDatabase(options: CreateDatabaseOptions): Promise<DatabaseHandle> {
  const sql = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} });
  const db = drizzle(preparing(sql, options.observe, false), { schema }) as unknown as Db;
  return { db, sql, url: options.url, close: () => sql.end({ timeout: 5 }) };
}

/** The client drizzle uses: `unsafe` with parameters prepared, `begin` handing out a wrapped client too. */
function preparing(client: postgres.Sql, observe: StatementObserver | undefined, inTransaction: boolean): postgres.Sql {
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === "unsafe") {
        return (text: string, args?: unknown[], opts?: Record<string, unknown>) => {
          observe?.statement?.(text, inTransaction);
          const prepare = process.env.WEFT_BENCH_UNPREPARED !== "1" && Array.isArray(args) && args.length > 0;
          return target.unsafe(text, args as postgres.ParameterOrJSON<never>[], prepare ? { ...opts, prepare: true } : opts);
        };
      }
      if (key === "begin") {
        return (...args: unknown[]) => {
          observe?.transaction?.();
          const fn = args.at(-1) as (tx: postgres.TransactionSql) => unknown;
          const wrapped = (tx: postgres.TransactionSql) => fn(preparing(tx as unknown as postgres.Sql, observe, true) as unknown as postgres.TransactionSql);
          return args.length > 1 ? target.begin(args[0] as string, wrapped) : target.begin(wrapped);
        };
      }
      if (key === "savepoint") {
        return (fn: (tx: postgres.TransactionSql) => unknown) =>
          (target as unknown as postgres.TransactionSql).savepoint((tx) => fn(preparing(tx as unknown as postgres.Sql, observe, true) as unknown as postgres.TransactionSql));
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}
