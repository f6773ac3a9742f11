import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { createDatabase, migrate, startEmbeddedPostgres } from "../src";
import { withDatabase } from "../src/testing";

/**
 * Once per test run: the server (DATABASE_URL, else one embedded PostgreSQL 17 in a temporary folder,
 * without fsync) and a migrated template database on it, copied per suite by createTestDatabase().
 */
export default async function setup(project: TestProject) {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (!serverUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-test-pg-"));
    fs.chmodSync(dataDir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir, owner: "vitest", durable: false });
    serverUrl = server.url;
    stopServer = async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const template = `weft_tpl_${process.pid}_${Date.now()}`;
  const admin = postgres(withDatabase(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
  const teardown = async () => {
    await admin.unsafe(`drop database if exists "${template}" with (force)`).catch(() => {});
    await admin.end();
    await stopServer();
  };
  try {
    await admin.unsafe(`create database "${template}"`);
    const templateUrl = withDatabase(serverUrl, template);
    const handle = await createDatabase({ url: templateUrl, max: 1 });
    await migrate(handle).finally(() => handle.close());
    project.provide("weftPgTemplateUrl", templateUrl);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
