/**
 * The production build of apps/web that the soak serves (`next start`, as `npm start` and the e2e
 * run do). Reused when its stamp is fresh (scripts/lib/build-stamp.mjs, the same rule as
 * scripts/start.mjs); otherwise built, under `flock <SOAK_BUILD_LOCK>` when that lock file exists
 * (default /work/heavy.lock: builds are serialised with other heavy work on a shared machine).
 * SOAK_BUILD=reuse takes any existing build as it is (a quick experiment on engine code: the workers
 * run the sources, the web process the code it was built from).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildFingerprint, isBuildFresh, writeBuildStamp } from "../lib/build-stamp.mjs";

export type BuildOptions = { root: string; distDir: string; env: NodeJS.ProcessEnv; log: (line: string) => void };

export async function ensureWebBuild({ root, distDir, env, log }: BuildOptions): Promise<void> {
  // The fingerprint reads NEXT_PUBLIC_* from process.env: give it the environment the server gets.
  const fingerprint = withEnv(env, () => buildFingerprint(root));
  if (isBuildFresh(distDir, fingerprint)) {
    log(`build: ${path.relative(root, distDir)} is up to date`);
    return;
  }
  if (process.env.SOAK_BUILD === "reuse" && fs.existsSync(path.join(distDir, "BUILD_ID"))) {
    log(`build: ${path.relative(root, distDir)} is stale but SOAK_BUILD=reuse: the web process runs the code it was built from`);
    return;
  }
  writeBuildStamp(distDir, null);
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const lock = process.env.SOAK_BUILD_LOCK ?? "/work/heavy.lock";
  const [command, args] = lock && fs.existsSync(lock) ? ["flock", [lock, process.execPath, next, "build"]] : [process.execPath, [next, "build"]];
  log(`build: ${path.relative(root, distDir)} is stale, running ${command} ${args.join(" ")}...`);
  const started = Date.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn(command, args, { cwd: path.join(root, "apps", "web"), env, stdio: ["ignore", "inherit", "inherit"] });
    child.once("error", () => resolve(127));
    child.once("exit", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  });
  if (code !== 0) throw new Error(`next build failed (exit code ${code})`);
  writeBuildStamp(distDir, fingerprint);
  log(`build: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function withEnv<T>(env: NodeJS.ProcessEnv, fn: () => T): T {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}
