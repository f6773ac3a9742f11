// Shared by scripts/start.mjs and scripts/migrate.ts (plain Node ESM, no dependencies).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in <root>/scripts/lib). */
export const repoRoot = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));

/**
 * Loads `<root>/.env.local` then `<root>/.env` into process.env. Variables already set in the
 * environment win, and `.env.local` wins over `.env` (process.loadEnvFile never overrides).
 * apps/web/next.config.ts applies the same rule, so `next dev` sees the same configuration.
 * @param {string} [root]
 */
export function loadRootEnv(root = repoRoot) {
  for (const file of [".env.local", ".env"]) {
    const envPath = path.join(root, file);
    if (fs.existsSync(envPath)) process.loadEnvFile(envPath);
  }
}
