import path from "node:path";
import { z } from "zod";
import { findMigrationsFolder } from "@weft/db";

/** The worker's configuration, parsed once (the same variables as the web app; see .env.example). */
const Env = z.object({
  // Unset: join the embedded PostgreSQL that `npm start` runs for WEFT_DATA_DIR.
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  WEFT_DATA_DIR: z.string().default(".data"),
  WEFT_ENCRYPTION_KEY: z.string().optional(),
  WEFT_HTTP_ALLOW_HOSTS: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((h) => h.trim()).filter(Boolean)),
  WEFT_WORKER_CONCURRENCY: z.coerce.number().int().positive().default(50),
});

export function parseEnv(source: NodeJS.ProcessEnv = process.env) {
  const result = Env.safeParse(source);
  if (!result.success) {
    throw new Error(result.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`).join("\n"));
  }
  const repoRoot = path.dirname(findMigrationsFolder());
  return { ...result.data, repoRoot, dataDir: path.resolve(repoRoot, result.data.WEFT_DATA_DIR) };
}
