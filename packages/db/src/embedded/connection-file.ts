import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The files an embedded server keeps beside its data (`<dataDir>/pg`), all mode 0600:
 * - `pg-password`: the superuser's password, generated once;
 * - `pg.json`: where the running server listens and who owns it, so that `apps/worker`,
 *   `npm run db:migrate` and `db:dump` on the same data folder connect to it.
 */
export type EmbeddedConnection = {
  host: "127.0.0.1";
  port: number;
  user: string;
  database: string;
  /** The process that started the server and stops it (`npm start`'s supervisor, a test run...). */
  ownerPid: number;
  owner: string;
  postmasterPid: number;
  startedAt: string;
};

export const EMBEDDED_USER = "postgres";
export const EMBEDDED_DATABASE = "weft";

export const embeddedPaths = (dataDir: string) => ({
  pgDir: path.join(dataDir, "pg"),
  passwordFile: path.join(dataDir, "pg-password"),
  connectionFile: path.join(dataDir, "pg.json"),
  logFile: path.join(dataDir, "pg.log"),
});

/** The superuser password of this data folder's server, generated on first use. */
export function embeddedPassword(dataDir: string): string {
  const { passwordFile } = embeddedPaths(dataDir);
  try {
    return fs.readFileSync(passwordFile, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const password = randomBytes(24).toString("base64url");
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600, flag: "wx" });
  return password;
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function readConnectionFile(dataDir: string): EmbeddedConnection | null {
  try {
    return JSON.parse(fs.readFileSync(embeddedPaths(dataDir).connectionFile, "utf8")) as EmbeddedConnection;
  } catch {
    return null;
  }
}

export function writeConnectionFile(dataDir: string, connection: EmbeddedConnection): void {
  const { connectionFile } = embeddedPaths(dataDir);
  const temporary = `${connectionFile}.${process.pid}`;
  fs.writeFileSync(temporary, `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, connectionFile);
}

export function removeConnectionFile(dataDir: string, postmasterPid: number): void {
  if (readConnectionFile(dataDir)?.postmasterPid === postmasterPid) {
    fs.rmSync(embeddedPaths(dataDir).connectionFile, { force: true });
  }
}

export function connectionUrl(dataDir: string, connection: Pick<EmbeddedConnection, "port" | "user" | "database">, database = connection.database): string {
  const password = encodeURIComponent(embeddedPassword(dataDir));
  return `postgres://${connection.user}:${password}@127.0.0.1:${connection.port}/${database}`;
}

/** The running server of this data folder, if its owner and its postmaster are both alive. */
export function runningEmbedded(dataDir: string): (EmbeddedConnection & { url: string }) | null {
  const connection = readConnectionFile(dataDir);
  if (!connection || !isAlive(connection.ownerPid) || !isAlive(connection.postmasterPid)) return null;
  return { ...connection, url: connectionUrl(dataDir, connection) };
}
