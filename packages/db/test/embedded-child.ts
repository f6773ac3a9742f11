/**
 * A process that owns an embedded server for embedded.test.ts: starts it for EMBEDDED_DATA_DIR,
 * prints `{ url, pid }` (or `{ error }`), then waits until it is killed.
 */
import { startEmbeddedPostgres } from "../src/embedded";

try {
  const server = await startEmbeddedPostgres({ dataDir: process.env.EMBEDDED_DATA_DIR!, owner: "embedded-child", durable: false });
  process.stdout.write(`${JSON.stringify({ url: server.url, pid: server.pid })}\n`);
  setInterval(() => {}, 60_000);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
  process.exit(1);
}
