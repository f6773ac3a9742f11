import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, eq, flowExecutions, scheduleSlots, schedules, sql } from "@weft/db";
import { createExecutionStore } from "@weft/engine";
import { edge, node } from "@weft/engine/testing";
import { createScheduler, type Scheduler } from "../src/services/schedules/scheduler";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { signUpUser } from "./support";

/**
 * "Each slot fires exactly once even with two scheduler processes on one Postgres": two child
 * processes and two in-process schedulers on separate connection pools tick concurrently over the
 * same due slots, again and again (next_run_at is rewound between rounds so every scheduler sees the
 * same slots due once more): exactly one slot row and one execution per slot.
 */
describe("two scheduler processes on one Postgres", () => {
  let api: TestApi | undefined;
  let poolB: Awaited<ReturnType<typeof createDatabase>> | undefined;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await poolB?.close();
    await api?.close();
  });

  it("never double-fire a slot", async () => {
    api = await createTestApi();
    const owner = await signUpUser(api, "RaceOwner");
    const caller = callerFor(api.deps, owner.user);
    const workspaceId = (await caller.workspaces.create({ name: "Race" })).id;
    const graph = { nodes: [node("in", "source"), node("out", "sink")], edges: [edge("in", "out")] };
    // 2 flows x 20 schedules (the most a flow may have).
    const scheduleCount = 40;
    for (let f = 0; f < 2; f++) {
      const flowId = (await caller.flows.create({ workspaceId, name: `Race ${f}`, ...(graph as { nodes: never[]; edges: never[] }) })).id;
      for (let i = 0; i < scheduleCount / 2; i++) {
        await caller.schedules.create({ workspaceId, flowId, cron: "* * * * *", enabled: false, overlapPolicy: "allow", catchupPolicy: "all", catchupMax: 10 });
      }
    }
    // At 12:10 with next_run_at 12:01, each schedule has 10 slots due (12:01 ... 12:10).
    const now = new Date("2030-03-01T12:10:00.000Z");
    const rewind = () => api!.deps.db.update(schedules).set({ enabled: true, nextRunAt: new Date("2030-03-01T12:01:00.000Z") }).where(eq(schedules.workspaceId, workspaceId));

    const childOutput: Array<Promise<string>> = [];
    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(path.dirname(fileURLToPath(import.meta.url)), "scheduler-child.ts")], {
        env: { ...process.env, WEFT_CHILD_DATABASE_URL: api.database.url, WEFT_CHILD_NOW: now.toISOString() },
        stdio: ["pipe", "pipe", "inherit"],
      });
      children.push(child);
      let out = "";
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("ready")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`scheduler child exited with ${code}`)));
      });
      childOutput.push(new Promise((resolve) => child.once("exit", () => resolve(out))));
      await ready;
    }

    poolB = await createDatabase({ url: api.database.url!, max: 5 });
    const inProcess: Scheduler[] = [
      createScheduler({ deps: api.deps, now: () => now }),
      createScheduler({ deps: { db: poolB.db, executions: createExecutionStore({ db: poolB.db }), now: () => now }, now: () => now }),
    ];
    const recorded: string[] = [];
    const ticks = async (scheduler: Scheduler, n: number) => {
      for (let i = 0; i < n; i++) {
        for (const slot of (await scheduler.tick()).slots) recorded.push(`${slot.scheduleId}|${slot.slotAt.toISOString()}`);
      }
    };
    for (let round = 0; round < 5; round++) {
      await rewind();
      await Promise.all(inProcess.map((scheduler) => ticks(scheduler, 4)));
    }
    for (const child of children) child.stdin!.end();
    for (const out of await Promise.all(childOutput)) {
      const last = out.trim().split("\n").at(-1)!;
      recorded.push(...(JSON.parse(last) as { recorded: string[] }).recorded);
    }

    const slotCount = scheduleCount * 10;
    // Every slot was recorded by exactly one of the four schedulers.
    expect(recorded).toHaveLength(slotCount);
    expect(new Set(recorded).size).toBe(slotCount);
    const db = api.deps.db;
    const slots = await db.select().from(scheduleSlots).where(eq(scheduleSlots.workspaceId, workspaceId));
    expect(slots).toHaveLength(slotCount);
    expect(slots.every((s) => s.outcome === "started" && s.executionId)).toBe(true);
    expect(new Set(slots.map((s) => s.executionId)).size).toBe(slotCount);
    const [runs] = await db
      .select({ n: sql<number>`count(*)::int`, keys: sql<number>`count(distinct ${flowExecutions.idempotencyKey})::int` })
      .from(flowExecutions)
      .where(eq(flowExecutions.workspaceId, workspaceId));
    expect(runs).toEqual({ n: slotCount, keys: slotCount });
    const rows = await db.select({ nextRunAt: schedules.nextRunAt }).from(schedules).where(eq(schedules.workspaceId, workspaceId));
    expect(rows).toHaveLength(scheduleCount);
    expect(rows.every((r) => r.nextRunAt?.toISOString() === "2030-03-01T12:11:00.000Z")).toBe(true);
  }, 120_000); // two child processes boot through tsx: slow on a busy machine
});
