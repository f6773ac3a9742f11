/**
 * Child process of stream.test.ts ("two processes"): an engine on the same Postgres database runs one
 * execution to its end, then exits. Env: WEFT_CHILD_DATABASE_URL, WEFT_CHILD_EXECUTION_ID.
 */
import { createDatabase } from "@weft/db";
import { createTestEngine } from "@weft/engine/testing";

const url = process.env.WEFT_CHILD_DATABASE_URL;
const executionId = process.env.WEFT_CHILD_EXECUTION_ID;
if (!url || !executionId) throw new Error("WEFT_CHILD_DATABASE_URL and WEFT_CHILD_EXECUTION_ID are required");

const handle = await createDatabase({ url, max: 3 });
const t = await createTestEngine(handle);
await t.engine.start();
try {
  const done = await t.waitFor(executionId, ["completed", "failed", "cancelled"], 30_000);
  console.log(`child: ${done.execution.status}`);
} finally {
  await t.engine.stop();
  await handle.close();
}
process.exit(0);
