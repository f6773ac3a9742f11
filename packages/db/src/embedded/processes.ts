import fs from "node:fs";
import path from "node:path";
import { isAlive } from "./connection-file";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pid in `<pgDir>/postmaster.pid` and whether that process is a postgres of this folder. */
export function postmasterOf(pgDir: string): { pid: number; ours: boolean } | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(pgDir, "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
  if (!isAlive(pid)) return { pid, ours: false };
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    // not Linux, or gone: trust the pid file's folder line
    cmdline = text.split("\n")[1] === pgDir ? "postgres" : "";
  }
  return { pid, ours: cmdline.includes("postgres") };
}

/**
 * Stops a postmaster: fast shutdown (SIGINT), then immediate (SIGQUIT) if it is still there after
 * `graceMs`. Resolves when the process is gone.
 */
export async function stopPostmaster(pid: number, graceMs = 20_000): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // gone
    }
  };
  signal("SIGINT");
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (!isAlive(pid)) return;
  signal("SIGQUIT");
  const hard = Date.now() + 5_000;
  while (isAlive(pid) && Date.now() < hard) await sleep(50);
  if (isAlive(pid)) signal("SIGKILL");
}
