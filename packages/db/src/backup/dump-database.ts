import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { PassThrough } from "node:stream";
import zlib from "node:zlib";
import type { DatabaseHandle } from "../client";
import { copyStatement, tablesInLoadOrder } from "./tables";

export const DUMP_MAGIC = "-- weft-dump ";

export type DumpHeader = {
  format: 1;
  createdAt: string;
  /** drizzle migrations applied to the source: a restore needs the same schema. */
  migrations: number;
  server: string;
  tables: { name: string; rows: number }[];
};

/**
 * Writes every row of Weft's tables to a gzip file, from one consistent snapshot (a read-only
 * repeatable-read transaction): a header line, then per table, parents first, a
 * `COPY ... FROM stdin;` block in PostgreSQL's text format — the same shape as `pg_dump`'s plain
 * output, so `gunzip | psql` also loads it into a migrated database. The schema itself is not in
 * the file: it comes from the migrations (restoreDatabase checks the count matches).
 */
export async function dumpDatabase(handle: DatabaseHandle, file: string): Promise<DumpHeader> {
  const temporary = `${file}.partial`;
  const body = new PassThrough();
  const gzip = zlib.createGzip();
  const written = pipeline(body, gzip, fs.createWriteStream(temporary, { mode: 0o600 }));
  const write = async (text: string | Buffer) => {
    if (!body.write(text)) await new Promise((resolve) => body.once("drain", resolve));
  };
  try {
    const header = await handle.sql.begin("isolation level repeatable read read only", async (tx) => {
      const [{ migrations } = { migrations: 0 }] = await tx<{ migrations: number }[]>`
        select count(*)::int as migrations from drizzle.__drizzle_migrations`;
      const [{ server } = { server: "" }] = await tx<{ server: string }[]>`select current_setting('server_version') as server`;
      const tables = await tablesInLoadOrder(tx);
      const counts: { name: string; rows: number }[] = [];
      for (const table of tables) {
        const [{ rows } = { rows: 0 }] = await tx.unsafe<{ rows: number }[]>(`select count(*)::int as rows from public."${table.name}"`);
        counts.push({ name: table.name, rows });
      }
      const head: DumpHeader = { format: 1, createdAt: new Date().toISOString(), migrations, server, tables: counts };
      await write(`${DUMP_MAGIC}${JSON.stringify(head)}\n`);
      for (const table of tables) {
        await write(`${copyStatement(table, "from stdin")};\n`);
        const stream = await tx.unsafe(copyStatement(table, "to stdout")).readable();
        for await (const chunk of stream) await write(chunk as Buffer);
        await write("\\.\n");
      }
      return head;
    });
    body.end();
    await written;
    fs.renameSync(temporary, file);
    return header;
  } catch (error) {
    body.destroy();
    await written.catch(() => {});
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
