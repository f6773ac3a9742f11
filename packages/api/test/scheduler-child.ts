/**
 * Child process of schedules-race.test.ts: a scheduler on its own Postgres connection pool ticks with
 * a fixed clock until its stdin closes, then prints the slots it recorded as one JSON line.
 * Env: WEFT_CHILD_DATABASE_URL, WEFT_CHILD_NOW (ISO time).
 */
import { createDatabase } from "@weft/db";
import { createExecutionStore } from "@weft/engine";
import { createScheduler } from "../src/services/schedules/scheduler";

const url = process.env.WEFT_CHILD_DATABASE_URL;
const nowIso = process.env.WEFT_CHILD_NOW;
if (!url || !nowIso) throw new Error("WEFT_CHILD_DATABASE_URL and WEFT_CHILD_NOW are required");
const now = new Date(nowIso);

const handle = await createDatabase({ url, max: 2 });
const scheduler = createScheduler({ deps: { db: handle.db, executions: createExecutionStore({ db: handle.db }), now: () => now }, now: () => now });
let stop = false;
process.stdin.on("end", () => (stop = true));
process.stdin.resume();
console.log("ready");
const recorded: string[] = [];
while (!stop) {
  const { slots } = await scheduler.tick();
  for (const slot of slots) recorded.push(`${slot.scheduleId}|${slot.slotAt.toISOString()}`);
  await new Promise((r) => setTimeout(r, 2));
}
console.log(JSON.stringify({ recorded }));
await handle.close();
process.exit(0);
