import { boolean, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { users } from "./auth";
import { workspaces } from "./workspaces";

/**
 * Workspace variables, read by flows as `{{ env.NAME }}`. A secret's value is stored only as
 * AES-256-GCM ciphertext (`value_ciphertext`, `value` null) and never returned; a plain one in `value`.
 */
export const variables = pgTable(
  "variables",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    secret: boolean("secret").notNull().default(false),
    value: text("value"),
    valueCiphertext: text("value_ciphertext"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("variables_workspace_id_name_key").on(t.workspaceId, t.name)],
);

export type Variable = typeof variables.$inferSelect;
