import type postgres from "postgres";

export type TableInfo = { name: string; columns: string[] };

/**
 * Weft's tables in the `public` schema, parents before children (foreign keys), each with its stored
 * (non-generated) columns in order: the order a dump writes them and a restore loads them.
 */
export async function tablesInLoadOrder(sql: postgres.Sql | postgres.TransactionSql): Promise<TableInfo[]> {
  const tables = await sql<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by c.relname`;
  const edges = await sql<{ child: string; parent: string }[]>`
    select ch.relname as child, pa.relname as parent
    from pg_constraint k join pg_class ch on ch.oid = k.conrelid join pg_class pa on pa.oid = k.confrelid
    join pg_namespace n on n.oid = ch.relnamespace
    where k.contype = 'f' and n.nspname = 'public' and ch.oid <> pa.oid`;
  const columns = await sql<{ table: string; column: string }[]>`
    select table_name as table, column_name as column from information_schema.columns
    where table_schema = 'public' and is_generated = 'NEVER' order by table_name, ordinal_position`;

  const parents = new Map<string, Set<string>>(tables.map((t) => [t.name, new Set<string>()]));
  for (const { child, parent } of edges) parents.get(child)?.add(parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < parents.size) {
    const ready = [...parents.keys()].filter((name) => !placed.has(name) && [...parents.get(name)!].every((p) => placed.has(p)));
    if (ready.length === 0) throw new Error(`foreign keys form a cycle among: ${[...parents.keys()].filter((n) => !placed.has(n)).join(", ")}`);
    for (const name of ready) {
      placed.add(name);
      ordered.push(name);
    }
  }
  return ordered.map((name) => ({ name, columns: columns.filter((c) => c.table === name).map((c) => c.column) }));
}

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function copyStatement(table: TableInfo, direction: "to stdout" | "from stdin"): string {
  return `copy public.${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(", ")}) ${direction}`;
}
