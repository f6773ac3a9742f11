import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpDatabase, flows, restoreDatabase, RestoreRefusedError, users, workspaces } from "../src";
import { createTestDatabase, type TestDatabase } from "../src/testing";

/** `npm run db:dump` / `db:restore`: every row round-trips between two real databases, or nothing is written. */
describe("dump and restore", () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-dump-"));
  const file = path.join(dir, "weft.dump.gz");
  // Text that COPY must escape: newlines, tabs, backslashes, quotes, unicode, and a SQL-looking line.
  const awkward = 'line 1\nline 2\t"quoted" \\ back\\slash é 漢字 🚀\n\\.\ncopy public."users" from stdin;';

  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const [user] = await source.db.insert(users).values({ email: "a@example.com", name: awkward }).returning();
    const [workspace] = await source.db.insert(workspaces).values({ name: "WS", createdBy: user!.id }).returning();
    await source.db.insert(flows).values([
      { workspaceId: workspace!.id, name: "flow one", nodes: [{ id: "n", data: { note: awkward, nested: [1, null, { x: true }] } }], edges: [] },
      { workspaceId: workspace!.id, name: "flow two", description: "", nodes: [], edges: [] },
    ]);
  });
  afterAll(async () => {
    await Promise.all([source?.close(), target?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const snapshot = async (db: TestDatabase) => ({
    users: await db.sql`select * from users order by id`,
    workspaces: await db.sql`select * from workspaces order by id`,
    flows: await db.sql`select * from flows order by id`,
  });

  it("restores every row exactly into an empty migrated database, parents before children", async () => {
    const header = await dumpDatabase(source, file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(header.tables.find((t) => t.name === "flows")?.rows).toBe(2);
    const names = header.tables.map((t) => t.name);
    expect(names.indexOf("users")).toBeLessThan(names.indexOf("workspaces"));
    expect(names.indexOf("workspaces")).toBeLessThan(names.indexOf("flows"));

    await restoreDatabase(target, file);
    const [before, after] = await Promise.all([snapshot(source), snapshot(target)]);
    expect(after).toEqual(before);
    expect(after.users[0]!.name).toBe(awkward);
  });

  it("refuses a non-empty target, naming a table, and writes nothing; --replace swaps the rows in one transaction", async () => {
    await target.db.insert(users).values({ email: "extra@example.com", name: "extra" });
    const count = async () => (await target.sql<{ n: number }[]>`select count(*)::int as n from users`)[0]!.n;
    const before = await count();
    const refused = await restoreDatabase(target, file).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RestoreRefusedError);
    expect((refused as Error).message).toMatch(/not empty \(table \w+ has rows\).*--replace/);
    expect(await count()).toBe(before);

    await restoreDatabase(target, file, { replace: true });
    expect(await snapshot(target)).toEqual(await snapshot(source));
  });

  it("rolls back entirely on a truncated file, and refuses a dump of another schema version or a non-dump", async () => {
    const whole = fs.readFileSync(file);
    const zlib = await import("node:zlib");
    const text = zlib.gunzipSync(whole).toString("utf8");
    const cut = path.join(dir, "cut.dump.gz");
    fs.writeFileSync(cut, zlib.gzipSync(text.slice(0, text.indexOf("flow two"))));
    const snapshotBefore = await snapshot(target);
    await expect(restoreDatabase(target, cut, { replace: true })).rejects.toThrow(/truncated/);
    expect(await snapshot(target)).toEqual(snapshotBefore); // the truncate was rolled back too

    const other = path.join(dir, "other.dump.gz");
    fs.writeFileSync(other, zlib.gzipSync(text.replace(/"migrations":\d+/, '"migrations":999')));
    await expect(restoreDatabase(target, other, { replace: true })).rejects.toThrow(/999 migrations; this one has \d+/);

    const junk = path.join(dir, "junk.gz");
    fs.writeFileSync(junk, zlib.gzipSync("select 1;\n"));
    await expect(restoreDatabase(target, junk)).rejects.toThrow(/is not a Weft dump/);
  });
});
