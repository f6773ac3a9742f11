import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, DataDirLockedError, migrate, type DatabaseHandle } from "../src";
import { withDatabase } from "../src/testing";

const expectedTables = [
  "analytics_failures", "analytics_latency", "analytics_node_hours", "api_keys", "artifacts", "audit_log", "block_executions", "block_test_runs", "blocks", "comments",
  "connections", "decision_categories", "decisions", "execution_events", "flow_executions", "flow_versions", "flows",
  "patterns", "rate_limits", "schedule_slots", "schedules", "sessions", "users", "webhook_invocations", "webhooks", "workspace_members",
  "workspaces",
];

async function tables(handle: DatabaseHandle): Promise<string[]> {
  const rows = await handle.db.execute<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = 'public' order by table_name` as never,
  );
  return (rows as unknown as { rows?: { table_name: string }[] }).rows?.map((r) => r.table_name) ??
    (rows as unknown as { table_name: string }[]).map((r) => r.table_name);
}

async function migrationCount(handle: DatabaseHandle): Promise<number> {
  const rows = await handle.db.execute(`select count(*)::int as n from drizzle.__drizzle_migrations` as never);
  const list = (rows as unknown as { rows?: { n: number }[] }).rows ?? (rows as unknown as { n: number }[]);
  return list[0]!.n;
}

describe("migrations on PGlite", () => {
  it("apply from empty, twice, and create every core table", async () => {
    const handle = await createDatabase({ memory: true });
    try {
      await migrate(handle);
      const applied = await migrationCount(handle);
      await migrate(handle);
      expect(await migrationCount(handle)).toBe(applied);
      expect(await tables(handle)).toEqual(expectedTables);
    } finally {
      await handle.close();
    }
  });

  it("a file-backed data dir refuses a second owner and keeps its rows after reopening", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-lock-"));
    const first = await createDatabase({ dataDir });
    try {
      await migrate(first);
      await expect(
        // Another process holds the lock: simulate with a child that tries to open it.
        import("node:child_process").then(
          ({ execFileSync }) =>
            new Promise<string>((resolve) => {
              try {
                execFileSync(
                  process.execPath,
                  ["--import", "tsx", "-e", `import("${path.resolve(__dirname, "../src/lock.ts")}").then(m => m.lockDataDir(${JSON.stringify(dataDir)}))`],
                  { stdio: "pipe" },
                );
                resolve("opened");
              } catch (error) {
                resolve(String((error as { stderr?: Buffer }).stderr));
              }
            }),
        ),
      ).resolves.toMatch(/already in use by another Weft process/);
      await first.db.execute(`create table keep_me (x int)` as never);
      await first.db.execute(`insert into keep_me values (42)` as never);
    } finally {
      await first.close();
    }
    const reopened = await createDatabase({ dataDir });
    try {
      const rows = await reopened.db.execute(`select x from keep_me` as never);
      expect((rows as unknown as { rows: { x: number }[] }).rows).toEqual([{ x: 42 }]);
    } finally {
      await reopened.close();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(DataDirLockedError).toBeDefined();
  });
});

describe.runIf(process.env.DATABASE_URL)("migrations on Postgres", () => {
  const url = process.env.DATABASE_URL ?? "";
  const name = `weft_mig_${randomBytes(4).toString("hex")}`;
  let admin: postgres.Sql;
  beforeAll(() => {
    admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it("apply from empty, twice (also concurrently), and create every core table", async () => {
    await admin.unsafe(`create database "${name}"`);
    const a = await createDatabase({ url: withDatabase(url, name) });
    const b = await createDatabase({ url: withDatabase(url, name) });
    try {
      await Promise.all([migrate(a), migrate(b)]);
      const applied = await migrationCount(a);
      await migrate(a);
      expect(await migrationCount(a)).toBe(applied);
      expect(await tables(a)).toEqual(expectedTables);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
