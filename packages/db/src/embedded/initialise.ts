import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { EMBEDDED_USER } from "./connection-file";
import { EmbeddedDatabaseError } from "./errors";
import { giveTo, type RunAs } from "./run-as";

type InitialiseOptions = {
  dataDir: string;
  pgDir: string;
  password: string;
  runAs: RunAs;
  initdb: string;
  /** false: skip initdb's final fsync (throwaway test clusters). */
  durable: boolean;
  onLog?: (line: string) => void;
};

/**
 * Creates the cluster in `pgDir` unless it exists. initdb writes into `<dataDir>/pg.init-<pid>`,
 * renamed to `pgDir` only once complete, so a failure (disk full, no permission, killed) leaves
 * nothing that blocks the next start: the partial folder is removed here and by the next attempt.
 */
export async function initialiseCluster(options: InitialiseOptions): Promise<void> {
  const { dataDir, pgDir } = options;
  for (const entry of fs.readdirSync(dataDir)) {
    if (entry.startsWith("pg.init-")) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  }
  if (fs.existsSync(path.join(pgDir, "PG_VERSION"))) return;
  if (fs.existsSync(pgDir)) {
    if (fs.readdirSync(pgDir).length > 0) {
      throw new EmbeddedDatabaseError(
        `${pgDir} exists but is not a PostgreSQL data folder (no PG_VERSION): move it away, or point WEFT_DATA_DIR elsewhere.`,
      );
    }
    fs.rmdirSync(pgDir);
  }

  const started = performance.now();
  const temporary = path.join(dataDir, `pg.init-${process.pid}`);
  const passwordFile = path.join(dataDir, `pg.init-${process.pid}.pw`);
  fs.mkdirSync(temporary, { mode: 0o700 });
  fs.writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  giveTo(options.runAs, temporary);
  if ("uid" in options.runAs) fs.chownSync(passwordFile, options.runAs.uid, options.runAs.gid);
  const output: string[] = [];
  try {
    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      const child = spawn(
        options.initdb,
        [
          `--pgdata=${temporary}`,
          `--username=${EMBEDDED_USER}`,
          `--pwfile=${passwordFile}`,
          "--auth=scram-sha-256",
          "--encoding=UTF8",
          "--locale=C",
          "--no-instructions",
          ...(options.durable ? [] : ["--no-sync"]),
        ],
        { ...options.runAs, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_MESSAGES: "C", LC_ALL: "C" } },
      );
      const collect = (chunk: Buffer) => {
        for (const line of chunk.toString("utf8").split("\n")) {
          if (!line.trim()) continue;
          output.push(line);
          options.onLog?.(line);
        }
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      child.once("error", (error) => {
        output.push(error.message);
        resolve({ code: -1, signal: null });
      });
      child.once("exit", (code, signal) => resolve({ code, signal }));
    });
    if (result.code !== 0) {
      const full = output.some((line) => /No space left on device|could not (write|extend)/i.test(line)) || result.signal === "SIGXFSZ";
      throw new EmbeddedDatabaseError(
        `Creating the embedded database in ${pgDir} failed (initdb ${result.signal ?? `exit code ${result.code}`})` +
          (full ? `: the disk holding ${dataDir} is full.` : ".") +
          " Nothing was left behind; fix the cause and start again.",
        output.slice(-12),
      );
    }
    fs.renameSync(temporary, pgDir);
    options.onLog?.(`created the embedded database in ${pgDir} (${Math.round(performance.now() - started)} ms)`);
  } finally {
    fs.rmSync(passwordFile, { force: true });
    fs.rmSync(temporary, { recursive: true, force: true });
  }
}
