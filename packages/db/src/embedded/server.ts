import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import postgres from "postgres";
import { embeddedBinaries } from "./binaries";
import {
  connectionUrl,
  EMBEDDED_DATABASE,
  EMBEDDED_USER,
  embeddedPassword,
  embeddedPaths,
  isAlive,
  readConnectionFile,
  removeConnectionFile,
  writeConnectionFile,
} from "./connection-file";
import { EmbeddedDatabaseError, EmbeddedDatabaseInUseError } from "./errors";
import { initialiseCluster } from "./initialise";
import { postmasterOf, stopPostmaster } from "./processes";
import { letServerReach, postgresIdentity } from "./run-as";

export type StartEmbeddedOptions = {
  /** The data folder (`WEFT_DATA_DIR`): the cluster lives in `<dataDir>/pg`. */
  dataDir: string;
  /** Who owns the server, shown to a second process that finds it running (`npm start`, `vitest`...). */
  owner: string;
  /** A fixed port on 127.0.0.1 (refused with a clear error when taken); default: the last one, else any free one. */
  port?: number;
  /** Tests only: no fsync (a throwaway cluster). */
  durable?: boolean;
  onLog?: (line: string) => void;
};

export type EmbeddedServer = {
  url: string;
  port: number;
  pid: number;
  pgDir: string;
  /** The server's last log lines (most recent last). */
  lastLog: () => string[];
  /** Settles when the server process ends, whoever ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Fast shutdown; resolves when the server is gone. Idempotent. */
  stop: () => Promise<void>;
};

const LOG_LINES = 40;

/**
 * Starts the embedded PostgreSQL 17 of a data folder, initialising it on first use, and records
 * where it listens in `<dataDir>/pg.json`. Recovers what a kill -9 leaves behind: a stale
 * `postmaster.pid` is left to PostgreSQL (it checks the pid), an orphaned server of this folder
 * whose owner died is stopped first, a half-made cluster from a failed initdb never exists (initdb
 * works in a temporary folder that is renamed when complete). Refuses, naming the owner, when a live
 * process already runs it.
 */
export async function startEmbeddedPostgres(options: StartEmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  const { pgDir, logFile } = embeddedPaths(dataDir);
  ensureWritable(dataDir);

  const recorded = readConnectionFile(dataDir);
  if (recorded && recorded.ownerPid !== process.pid && isAlive(recorded.ownerPid) && isAlive(recorded.postmasterPid)) {
    throw new EmbeddedDatabaseInUseError(pgDir, recorded.ownerPid, recorded.owner, recorded.port);
  }
  const orphan = postmasterOf(pgDir);
  if (orphan?.ours) {
    // Its owner is gone (else we refused above): an orphan of a kill -9. Stop it and start afresh.
    options.onLog?.(`stopping an orphaned server of ${pgDir} (pid ${orphan.pid})`);
    await stopPostmaster(orphan.pid);
  } else if (orphan) {
    // The pid in postmaster.pid belongs to some other process now: the file is stale.
    fs.rmSync(path.join(pgDir, "postmaster.pid"), { force: true });
  }

  const runAs = postgresIdentity();
  const password = embeddedPassword(dataDir);
  const binaries = await embeddedBinaries();
  const opened = [path.dirname(binaries.postgres), dataDir].flatMap((target) => letServerReach(runAs, target));
  if (opened.length > 0) options.onLog?.(`let the postgres user traverse (o+x) ${opened.join(", ")}`);
  await initialiseCluster({ dataDir, pgDir, password, runAs, initdb: binaries.initdb, durable: options.durable !== false, onLog: options.onLog });

  const port = await choosePort(options.port, recorded?.port);
  const log: string[] = [];
  const logStream = fs.createWriteStream(logFile, { flags: "w", mode: 0o600 });
  const remember = (chunk: Buffer) => {
    logStream.write(chunk);
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      log.push(line);
      if (log.length > LOG_LINES) log.shift();
      options.onLog?.(line);
    }
  };
  const settings = [
    "listen_addresses=127.0.0.1",
    "unix_socket_directories=",
    "max_connections=300",
    ...(options.durable === false ? ["fsync=off", "synchronous_commit=off", "full_page_writes=off"] : []),
  ];
  // Its own process group: a Ctrl-C in the terminal reaches `npm start`, which stops the web server
  // first and this server last.
  const child = spawn(binaries.postgres, ["-D", pgDir, "-p", String(port), ...settings.flatMap((s) => ["-c", s])], {
    ...runAs,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C", LC_ALL: "C" },
  });
  child.stdout.on("data", remember);
  child.stderr.on("data", remember);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", () => resolve({ code: -1, signal: null }));
  });
  void exited.then(() => {
    logStream.end();
    if (child.pid) removeConnectionFile(dataDir, child.pid);
  });

  const connection = { port, user: EMBEDDED_USER, database: EMBEDDED_DATABASE };
  try {
    await waitUntilReady(connectionUrl(dataDir, connection, "postgres"), exited);
    await ensureDatabase(connectionUrl(dataDir, connection, "postgres"));
  } catch (error) {
    if (child.pid && child.exitCode === null) await stopPostmaster(child.pid);
    const taken = log.some((line) => /could not bind|Address already in use/i.test(line));
    throw new EmbeddedDatabaseError(
      taken
        ? `The embedded database could not listen on 127.0.0.1:${port}: the port is taken. Free it, or start without a fixed port.`
        : `The embedded database in ${pgDir} did not start: ${(error as Error).message}`,
      [...log],
    );
  }
  const pid = child.pid!;
  writeConnectionFile(dataDir, {
    host: "127.0.0.1",
    ...connection,
    ownerPid: process.pid,
    owner: options.owner,
    postmasterPid: pid,
    startedAt: new Date().toISOString(),
  });

  let stopping: Promise<void> | undefined;
  return {
    url: connectionUrl(dataDir, connection),
    port,
    pid,
    pgDir,
    lastLog: () => [...log],
    exited,
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          await stopPostmaster(pid);
          await exited;
        }
        removeConnectionFile(dataDir, pid);
      })()),
  };
}

function ensureWritable(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `The data folder ${dataDir} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
        `fix its permissions or point WEFT_DATA_DIR elsewhere.`,
    );
  }
}

/** The fixed port when asked (taken -> error), else the last one if still free, else any free one. */
async function choosePort(fixed: number | undefined, previous: number | undefined): Promise<number> {
  if (fixed !== undefined) {
    if (!(await isFree(fixed))) {
      throw new EmbeddedDatabaseError(`The embedded database cannot listen on 127.0.0.1:${fixed}: the port is taken.`);
    }
    return fixed;
  }
  if (previous && (await isFree(previous))) return previous;
  return freePort();
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, exited: Promise<unknown>): Promise<void> {
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  // Crash recovery after a kill -9 replays the WAL before the server accepts connections.
  const deadline = Date.now() + 120_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (ended) throw new Error("the server exited during start-up");
    const probe = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await probe`select 1`;
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await probe.end({ timeout: 1 });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not ready after 120 s (${(lastError as Error)?.message ?? "no answer"})`);
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin`select 1 as present from pg_database where datname = ${EMBEDDED_DATABASE}`;
    if (!row) await admin.unsafe(`create database "${EMBEDDED_DATABASE}"`);
  } finally {
    await admin.end();
  }
}
