import { sql, type PgColumn, type SQL } from "@weft/db";
import { AppError } from "./errors";

/**
 * Keyset pagination over (created_at desc, id desc). The cursor holds the last row's exact
 * (microsecond) creation time and id, opaque to the caller: JS Dates keep only milliseconds, and a
 * millisecond cursor would skip rows created in the same millisecond.
 */
export const exactTime = (column: PgColumn) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export const encodeCursor = (createdAtExact: string, id: string) => Buffer.from(JSON.stringify([createdAtExact, id])).toString("base64url");

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(value[0]) &&
      typeof value[1] === "string" &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value[1])
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new AppError("BAD_REQUEST", "cursor: Invalid cursor", { path: "cursor" });
}

/** Rows after the cursor in (createdAt desc, id desc) order. */
export function afterCursor(createdAt: PgColumn, id: PgColumn, cursor: string): SQL {
  const [at, last] = decodeCursor(cursor);
  return sql`(${createdAt} < ${at}::timestamptz or (${createdAt} = ${at}::timestamptz and ${id} < ${last}::uuid))`;
}
