import path from "node:path";
import { createDatabase, type DatabaseHandle } from "./client";
import { EmbeddedDatabaseNotRunningError, runningEmbedded, startEmbeddedPostgres, type EmbeddedServer } from "./embedded";

export type ConnectOptions = {
  /** DATABASE_URL: when set, the embedded database is not involved. */
  url?: string;
  /** WEFT_DATA_DIR: where the embedded database lives. */
  dataDir: string;
  /** Shown to others while this process owns the embedded server (`npm start`, `db:migrate`...). */
  owner: string;
  /** Start the embedded server when none runs (this process then owns it and stops it on close). */
  startEmbedded: boolean;
  port?: number;
  max?: number;
  onLog?: (line: string) => void;
};

export type ConnectedDatabase = DatabaseHandle & {
  /** Set when this process started the embedded server. */
  embedded?: EmbeddedServer;
  /** A log-safe description (no password). */
  description: string;
};

/**
 * The database a Weft process uses: DATABASE_URL when set; else the embedded PostgreSQL of the data
 * folder, joined when another process (normally `npm start`) runs it, or started and owned by this
 * one when `startEmbedded` allows.
 */
export async function connectDatabase(options: ConnectOptions): Promise<ConnectedDatabase> {
  if (options.url) {
    const url = new URL(options.url);
    const handle = await createDatabase({ url: options.url, max: options.max });
    return { ...handle, description: `Postgres ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}` };
  }
  const dataDir = path.resolve(options.dataDir);
  const running = runningEmbedded(dataDir);
  if (running) {
    const handle = await createDatabase({ url: running.url, max: options.max });
    return { ...handle, description: `embedded PostgreSQL in ${dataDir}/pg (127.0.0.1:${running.port}, run by ${running.owner})` };
  }
  if (!options.startEmbedded) throw new EmbeddedDatabaseNotRunningError(path.join(dataDir, "pg"));
  const embedded = await startEmbeddedPostgres({ dataDir, owner: options.owner, port: options.port, onLog: options.onLog });
  const handle = await createDatabase({ url: embedded.url, max: options.max });
  return {
    ...handle,
    embedded,
    description: `embedded PostgreSQL in ${embedded.pgDir} (127.0.0.1:${embedded.port})`,
    close: async () => {
      await handle.close();
      await embedded.stop();
    },
  };
}
