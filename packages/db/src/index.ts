export * from "./client";
export * from "./backup";
export * from "./connect";
export * from "./embedded";
export * from "./migrate";
export * from "./schema";
export * from "./rate-limit";
export * from "./notify";
// One copy of drizzle's query builders for every package (a second copy breaks instanceof checks).
export { and, arrayContained, arrayContains, asc, count, desc, eq, gt, gte, ilike, inArray, isNull, isNotNull, lt, lte, ne, or, sql } from "drizzle-orm";
export type { SQL } from "drizzle-orm";
export type { PgColumn } from "drizzle-orm/pg-core";
