import { defineConfig } from "drizzle-kit";

// Migrations are generated from the schema (`npm run db:generate`), reviewed and committed.
// They are applied by `npm start` and `npm run db:migrate`, never by `drizzle-kit push`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./packages/db/src/schema/index.ts",
  out: "./drizzle",
});
