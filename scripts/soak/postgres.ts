/**
 * The soak's own PostgreSQL: the embedded server of packages/db in a temporary data folder (never the
 * machine's shared server), on a fixed port so a restart keeps the URL every process uses.
 * Restarts: `fast` (SIGINT: PostgreSQL's fast shutdown) and `immediate` (SIGQUIT: no checkpoint, WAL
 * replay at the next start, as after a crash).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedServer } from "@weft/db";

export type SoakPostgres = {
  url: string;
  dataDir: string;
  restart: (mode: "fast" | "immediate", downMs: number) => Promise<void>;
  stop: () => Promise<void>;
};

export async function startSoakPostgres(log: (line: string) => void): Promise<SoakPostgres> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-soak-"));
  // As root, the server runs as the postgres user, which must reach the folder (see packages/db README).
  fs.chmodSync(dataDir, 0o755);
  const onLog = (line: string) => {
    // Its whole log is in <dataDir>/pg.log; show what tells a restart's story.
    if (/PANIC|database system is ready|redo (starts|done)|database system was (interrupted|not properly shut down)/.test(line)) log(`postgres: ${line}`);
  };
  let server: EmbeddedServer = await startEmbeddedPostgres({ dataDir, owner: "npm run soak", onLog });
  const port = server.port;
  return {
    url: server.url,
    dataDir,
    restart: async (mode, downMs) => {
      if (mode === "fast") {
        await server.stop();
      } else {
        process.kill(server.pid, "SIGQUIT");
        await server.exited;
      }
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await startEmbeddedPostgres({ dataDir, owner: "npm run soak", port, onLog });
    },
    stop: async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
