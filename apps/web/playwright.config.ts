import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// End-to-end tests against the production server, started the way `npm start` starts it
// (scripts/start.mjs: build if stale, migrate, `next start`), but:
//   - on port 3100 (WEFT_E2E_PORT), so a running `npm start` on 3000 is left alone;
//   - with a fresh temporary WEFT_DATA_DIR, so tests never touch .data (set WEFT_E2E_DATA_DIR to
//     keep one, or WEFT_E2E_DATABASE_URL to test against Postgres);
//   - building into apps/web/.next-e2e, so a test run never rebuilds the .next a dev server uses;
//   - with Clerk off (local auth).
// Browser: Debian's chromium (no browser download); `.ci/run` installs it when missing.

const repoRoot = path.resolve(import.meta.dirname, "../..");
const port = Number(process.env.WEFT_E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

// The config is evaluated by the runner and again by each worker: create the folder once and hand
// it to the workers through the environment they inherit.
const ownsDataDir = !process.env.WEFT_E2E_DATA_DIR;
if (ownsDataDir) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-e2e-"));
  process.env.WEFT_E2E_DATA_DIR = dir;
  // The runner stops the web server before it exits; then the database goes too.
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
}
const dataDir = process.env.WEFT_E2E_DATA_DIR!;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Every spec is a scenario of many steps against real runs on a shared, loaded 2-core machine: three
  // minutes a test (a cap, not a budget: the expectations wait on the UI's state, 10 s each).
  timeout: 180_000,
  // What a step waits for (a page after a navigation, a saved state) takes seconds when the other
  // engineers' builds and tests share the 2 cores.
  expect: { timeout: 20_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "node scripts/start.mjs",
    cwd: repoRoot,
    url: baseURL,
    timeout: 420_000, // a cold `next build` on a busy 2-core machine takes minutes
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM reaches scripts/start.mjs, which stops next-server's process group gracefully.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      PORT: String(port),
      WEFT_DATA_DIR: dataDir,
      WEFT_NEXT_DIST_DIR: ".next-e2e",
      DATABASE_URL: process.env.WEFT_E2E_DATABASE_URL ?? "",
      NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: "",
      CLERK_SECRET_KEY: "",
      CLERK_JWT_KEY: "",
      NEXT_TELEMETRY_DISABLED: "1",
      CLERK_TELEMETRY_DISABLED: "1",
      // The fake model providers of the specs listen on 127.0.0.1 (block-test.spec.ts).
      WEFT_HTTP_ALLOW_HOSTS: "127.0.0.1",
    },
  },
});
