/** A fault of the embedded database that the user can act on; its message names the folder or port. */
export class EmbeddedDatabaseError extends Error {
  override name = "EmbeddedDatabaseError";
  constructor(
    message: string,
    /** The server's (or initdb's) last log lines, when it printed any. */
    readonly lastLog: string[] = [],
  ) {
    super(lastLog.length > 0 ? `${message}\n  last log lines:\n${lastLog.map((l) => `    ${l}`).join("\n")}` : message);
  }
}

/** Another live process already runs the embedded server of this data folder. */
export class EmbeddedDatabaseInUseError extends EmbeddedDatabaseError {
  override name = "EmbeddedDatabaseInUseError";
  constructor(
    readonly pgDir: string,
    readonly ownerPid: number,
    readonly owner: string,
    readonly port: number,
  ) {
    super(
      `The embedded database in ${pgDir} is already run by \`${owner}\` (pid ${ownerPid}) on 127.0.0.1:${port}. ` +
        `Stop that process first, or add an engine to it with \`npm start -w @weft/worker\` (same WEFT_DATA_DIR).`,
    );
  }
}

/** No embedded server is running for this data folder, and the caller may not start one. */
export class EmbeddedDatabaseNotRunningError extends EmbeddedDatabaseError {
  override name = "EmbeddedDatabaseNotRunningError";
  constructor(readonly pgDir: string) {
    super(
      `No embedded database is running for ${pgDir}: start Weft with \`npm start\` first (it runs the embedded ` +
        `PostgreSQL), or set DATABASE_URL to a Postgres server.`,
    );
  }
}
