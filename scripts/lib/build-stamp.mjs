// The production build's freshness stamp, shared by scripts/start.mjs and `npm run soak`
// (plain Node ESM, no dependencies). A build folder holds `weft-build-stamp`: a hash of everything
// the build depends on (file metadata; package-lock.json by content; NEXT_PUBLIC_* variables).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Adds "path size mtime" of every file under `dir` (recursively) to the hash.
 * @param {string} root
 * @param {import("node:crypto").Hash} hash
 * @param {string} dir
 */
function hashTree(root, hash, dir) {
  if (!fs.existsSync(dir)) return;
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") hashTree(root, hash, full);
    } else if (entry.isFile()) {
      hashFile(root, hash, full);
    }
  }
}

/**
 * @param {string} root
 * @param {import("node:crypto").Hash} hash
 * @param {string} file
 */
function hashFile(root, hash, file) {
  const stat = fs.statSync(file);
  hash.update(`${path.relative(root, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
}

/**
 * A hash of everything the build of apps/web depends on (metadata only; package-lock.json by content).
 * @param {string} root the repository root
 */
export function buildFingerprint(root) {
  const webDir = path.join(root, "apps", "web");
  const hash = createHash("sha256");
  hash.update(`node ${process.version}\n`);
  const lockfile = path.join(root, "package-lock.json");
  if (fs.existsSync(lockfile)) hash.update(fs.readFileSync(lockfile));
  for (const file of ["tsconfig.base.json"]) {
    if (fs.existsSync(path.join(root, file))) hashFile(root, hash, path.join(root, file));
  }
  hashTree(root, hash, path.join(webDir, "src"));
  hashTree(root, hash, path.join(webDir, "public"));
  for (const name of fs.readdirSync(webDir).sort()) {
    if (/\.(ts|mjs|json)$/.test(name) && name !== "next-env.d.ts") hashFile(root, hash, path.join(webDir, name));
  }
  const packagesDir = path.join(root, "packages");
  if (fs.existsSync(packagesDir)) {
    for (const name of fs.readdirSync(packagesDir).sort()) {
      hashTree(root, hash, path.join(packagesDir, name, "src"));
      const manifest = path.join(packagesDir, name, "package.json");
      if (fs.existsSync(manifest)) hashFile(root, hash, manifest);
    }
  }
  hashTree(root, hash, path.join(root, "drizzle"));
  // NEXT_PUBLIC_* values are inlined into the bundle at build time.
  for (const key of Object.keys(process.env).filter((k) => k.startsWith("NEXT_PUBLIC_")).sort()) {
    hash.update(`${key}=${process.env[key]}\n`);
  }
  return hash.digest("hex");
}

/**
 * True when `distDir` holds a complete build whose stamp matches `fingerprint`.
 * @param {string} distDir
 * @param {string} fingerprint
 */
export function isBuildFresh(distDir, fingerprint) {
  const stampFile = path.join(distDir, "weft-build-stamp");
  return (
    fs.existsSync(path.join(distDir, "BUILD_ID")) &&
    fs.existsSync(stampFile) &&
    fs.readFileSync(stampFile, "utf8").trim() === fingerprint
  );
}

/**
 * @param {string} distDir
 * @param {string | null} fingerprint null: remove the stamp (before a build starts)
 */
export function writeBuildStamp(distDir, fingerprint) {
  const stampFile = path.join(distDir, "weft-build-stamp");
  if (fingerprint === null) fs.rmSync(stampFile, { force: true });
  else fs.writeFileSync(stampFile, `${fingerprint}\n`);
}
