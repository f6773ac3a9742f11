import fs from "node:fs";
import readline from "node:readline";
import { once } from "node:events";
import zlib from "node:zlib";
import type { DatabaseHandle } from "../client";
import { DUMP_MAGIC, type DumpHeader } from "./dump-database";
import { copyStatement, tablesInLoadOrder } from "./tables";

/** A dump that cannot go into this database; nothing was written. */
export class RestoreRefusedError extends Error {
  override name = "RestoreRefusedError";
}

/**
 * Loads a file written by dumpDatabase into a migrated database, in ONE transaction: the target must
 * have the same migrations applied, and be empty unless `replace` (then its rows are deleted first,
 * in the same transaction). Any failure rolls everything back.
 */
export async function restoreDatabase(handle: DatabaseHandle, file: string, options: { replace?: boolean } = {}): Promise<DumpHeader> {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done || !first.value.startsWith(DUMP_MAGIC)) throw new RestoreRefusedError(`${file} is not a Weft dump (npm run db:dump)`);
  const header = JSON.parse(first.value.slice(DUMP_MAGIC.length)) as DumpHeader;
  if (header.format !== 1) throw new RestoreRefusedError(`${file} has dump format ${String(header.format)}; this Weft reads format 1`);

  try {
    await handle.sql.begin(async (tx) => {
      const [{ migrations } = { migrations: 0 }] = await tx<{ migrations: number }[]>`
        select count(*)::int as migrations from drizzle.__drizzle_migrations`;
      if (migrations !== header.migrations) {
        throw new RestoreRefusedError(
          `${file} comes from a database with ${header.migrations} migrations; this one has ${migrations}. ` +
            `Restore with the Weft version that made the dump, then upgrade.`,
        );
      }
      const tables = await tablesInLoadOrder(tx);
      const known = new Map(tables.map((t) => [t.name, t]));
      if (options.replace) {
        await tx.unsafe(`truncate ${tables.map((t) => `public."${t.name}"`).join(", ")}`);
      } else {
        for (const table of tables) {
          const [row] = await tx.unsafe(`select 1 from public."${table.name}" limit 1`);
          if (row) throw new RestoreRefusedError(`the target database is not empty (table ${table.name} has rows): restore into a new database, or pass --replace`);
        }
      }
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const line = next.value;
        if (line === "") continue;
        const match = /^copy public\."((?:[^"]|"")+)" \(.*\) from stdin;$/.exec(line);
        const table = match ? known.get(match[1]!.replaceAll('""', '"')) : undefined;
        if (!table) throw new RestoreRefusedError(`${file}: unexpected line "${line.slice(0, 80)}" (a table this schema does not have?)`);
        const writable = await tx.unsafe(copyStatement(table, "from stdin")).writable();
        // The server's refusal (a bad row) arrives as the stream's error; nothing may stay unhandled.
        const done = new Promise<void>((resolve, reject) => {
          writable.once("finish", resolve);
          writable.once("error", reject);
        });
        done.catch(() => {});
        for (let row = await iterator.next(); ; row = await iterator.next()) {
          if (row.done) {
            // Abort the COPY (CopyFail) so the transaction can roll back.
            const error = new RestoreRefusedError(`${file} ends inside the rows of ${table.name}: the file is truncated`);
            writable.destroy(error);
            await done.catch(() => {});
            throw error;
          }
          if (row.value === "\\.") break;
          if (!writable.write(`${row.value}\n`)) await Promise.race([once(writable, "drain"), done]);
        }
        writable.end();
        await done;
      }
      // Rows keep their ids; sequences (if any column uses one) continue after the largest.
      await tx.unsafe(`
        do $$ declare r record; begin
          for r in select c.table_name, c.column_name, pg_get_serial_sequence(format('public.%I', c.table_name), c.column_name) as seq
                   from information_schema.columns c where c.table_schema = 'public' and c.column_default like 'nextval(%' loop
            execute format('select setval(%L, coalesce((select max(%I) from public.%I), 0) + 1, false)', r.seq, r.column_name, r.table_name);
          end loop;
        end $$`);
    });
  } finally {
    lines.close();
  }
  return header;
}
