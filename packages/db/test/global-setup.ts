import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { createDatabase, migrate } from "../src";
import { withDatabase } from "../src/testing";

/**
 * Migrates once per test run: a template database on the DATABASE_URL server (copied per suite), or
 * a PGlite data dir dumped to a file (loaded per suite).
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `weft_tpl_${process.pid}_${Date.now()}`;
    const admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${template}"`);
    const templateUrl = withDatabase(url, template);
    try {
      const handle = await createDatabase({ url: templateUrl, max: 1 });
      await migrate(handle).finally(() => handle.close());
    } catch (error) {
      await admin.unsafe(`drop database if exists "${template}" with (force)`);
      await admin.end();
      throw error;
    }
    project.provide("weftPgTemplateUrl", templateUrl);
    project.provide("weftPgliteDump", null);
    return async () => {
      await admin.unsafe(`drop database if exists "${template}" with (force)`);
      await admin.end();
    };
  }
  const handle = await createDatabase({ memory: true });
  await migrate(handle);
  const dump = await handle.pglite!.dumpDataDir("gzip");
  await handle.close();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "weft-test-")), "migrated.tar.gz");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("weftPgTemplateUrl", null);
  project.provide("weftPgliteDump", file);
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
