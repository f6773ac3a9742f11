import { index, jsonb, pgEnum, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./_columns";
import { users } from "./auth";
import { workspaces } from "./workspaces";

export const connectionProvider = pgEnum("connection_provider", ["openai", "anthropic", "openai_compatible"]);

/** LLM provider credentials. The secret (API key) is stored only as AES-256-GCM ciphertext. */
export const connections = pgTable(
  "connections",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    provider: connectionProvider("provider").notNull(),
    /** Required for openai_compatible; optional override for the others. */
    baseUrl: text("base_url"),
    /** `v1.<iv>.<tag>.<ciphertext>` (base64url), see packages/api/src/crypto. */
    secretCiphertext: text("secret_ciphertext").notNull(),
    /** Non-secret settings (default model, organisation id, extra headers names...). */
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("connections_workspace_id_idx").on(t.workspaceId, t.createdAt)],
);

export type Connection = typeof connections.$inferSelect;
export type ConnectionProvider = (typeof connectionProvider.enumValues)[number];
