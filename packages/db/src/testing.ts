import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { createDatabase, type DatabaseHandle } from "./client";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of a migrated template database to copy per suite (on the run's embedded server or DATABASE_URL). */
    weftPgTemplateUrl: string;
  }
}

/** Connection URL of the same server with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export type TestDatabase = DatabaseHandle;

/**
 * A fresh, migrated database for one suite: a copy of the migrated template on the test run's server
 * (one embedded PostgreSQL 17 per `npm test`, or the DATABASE_URL server). Never shared between suites.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const templateUrl = inject("weftPgTemplateUrl");
  if (!templateUrl) throw new Error("the vitest global setup (packages/db/test/global-setup.ts) did not run");
  const template = new URL(templateUrl).pathname.slice(1);
  const name = `weft_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(withDatabase(templateUrl, "postgres"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(templateUrl, name);
  const handle = await createDatabase({ url, max: 5 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const drop = postgres(withDatabase(templateUrl, "postgres"), { max: 1, onnotice: () => {} });
      try {
        await drop.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await drop.end();
      }
    },
  };
}
