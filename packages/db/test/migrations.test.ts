import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabase, migrate, type DatabaseHandle } from "../src";
import { withDatabase } from "../src/testing";

const expectedTables = [
  "analytics_failures", "analytics_latency", "analytics_latency_spans", "analytics_node_hours", "analytics_node_spans", "analytics_node_stats", "api_keys", "artifacts", "audit_log", "block_executions", "block_test_runs", "block_versions", "blocks", "comments",
  "connections", "decision_categories", "decisions", "execution_events", "flow_executions", "flow_versions", "flows",
  "patterns", "rate_limits", "runner_jobs", "runner_registration_tokens", "runners", "schedule_slots", "schedules", "sessions", "users", "variables", "webhook_invocations", "webhooks", "workspace_members",
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

describe("migrations", () => {
  // The test run's server: the embedded PostgreSQL 17, or DATABASE_URL.
  const url = inject("weftPgTemplateUrl");
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
