import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, asc, auditLog, count, eq, flowExecutions, scheduleSlots, schedules, type Db } from "@weft/db";
import { createTestEngine, edge, node } from "@weft/engine/testing";
import { createScheduler, ScheduleHandlingError, type TickResult } from "../src/services/schedules/scheduler";
import { createRun } from "../src/services/executions/create-run";
import { scheduleRunKey } from "../src/services/schedules/scheduled-runs";
import type { ScheduleView } from "../src/services/schedules/schedule-view";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectRestError, expectTrpcError, expectUnchanged, fieldOf, restClient, signUpUser, type ErrorBody, type SignedUpUser } from "./support";

/**
 * Schedules: CRUD through tRPC and REST (roles, tenancy, 400s naming the field), and the scheduler
 * driven by a fake clock on a real database with a real engine: catch-up after an outage, overlap
 * policies with runs kept active by approval blocks, failed slots, and DST in Europe/Berlin.
 */

type Caller = ReturnType<typeof callerFor>;
type Graph = { nodes: unknown[]; edges: unknown[] };

const simpleFlow: Graph = { nodes: [node("in", "source"), node("out", "sink")], edges: [edge("in", "out")] };
const approvalFlow: Graph = {
  nodes: [node("in", "source"), node("ok", "approval", { message: "Go on?" }), node("out", "sink")],
  edges: [edge("in", "ok"), edge("ok", "out")],
};
const regionFlow: Graph = {
  nodes: [node("in", "source", { inputSchema: { type: "object", required: ["region"], properties: { region: { type: "string" } } } }), node("out", "sink")],
  edges: [edge("in", "out")],
};

let api: TestApi;
let t: Awaited<ReturnType<typeof createTestEngine>>;
let rest: ReturnType<typeof restClient>;
let ownerA: SignedUpUser, memberA: SignedUpUser, viewerA: SignedUpUser, ownerB: SignedUpUser;
let wsA: string, wsB: string;
let keyA: string, keyViewerA: string, keyB: string;
/** The clock when the users signed up: session cookies are checked against the (fake) clock. */
let signedUpAt: Date;
const as = (who: SignedUpUser): Caller => callerFor(api.deps, who.user);
const headersOf = (who: SignedUpUser, workspaceId = wsA) => ({ cookie: who.cookie, "x-weft-workspace": workspaceId });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** The scheduler under test: the same (fake) clock as the services (api.clock). */
const scheduler = () => createScheduler({ deps: api.deps, now: () => api.clock.now });
const setClock = (iso: string) => {
  api.clock.now = new Date(iso);
};
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

async function createFlow(name: string, graph: Graph, workspaceId = wsA, who = ownerA): Promise<string> {
  return (await as(who).flows.create({ workspaceId, name, ...(graph as { nodes: never[]; edges: never[] }) })).id;
}
async function slotsOf(scheduleId: string) {
  return api.deps.db.select().from(scheduleSlots).where(eq(scheduleSlots.scheduleId, scheduleId)).orderBy(asc(scheduleSlots.slotAt));
}
async function execution(id: string) {
  const [row] = await api.deps.db.select().from(flowExecutions).where(eq(flowExecutions.id, id));
  return row!;
}
/** Ticks at `when` (the fake clock) and returns what the pass did for `scheduleId`. */
async function tickAt(when: string, scheduleId?: string): Promise<TickResult> {
  setClock(when);
  const result = await scheduler().tick();
  return scheduleId ? { ...result, slots: result.slots.filter((s) => s.scheduleId === scheduleId) } : result;
}

/** Every schedule row, slot and audit entry of a workspace, for "nothing changed" checks. */
async function snapshot(db: Db, workspaceId: string) {
  return {
    schedules: await db.select().from(schedules).where(eq(schedules.workspaceId, workspaceId)).orderBy(asc(schedules.id)),
    slots: await db.select().from(scheduleSlots).where(eq(scheduleSlots.workspaceId, workspaceId)).orderBy(asc(scheduleSlots.scheduleId), asc(scheduleSlots.slotAt)),
    audit: await db.select().from(auditLog).where(eq(auditLog.workspaceId, workspaceId)).orderBy(asc(auditLog.id)),
  };
}
const unchanged = <T>(call: () => Promise<T>) => expectUnchanged(() => Promise.all([snapshot(api.deps.db, wsA), snapshot(api.deps.db, wsB)]), call);

beforeAll(async () => {
  api = await createTestApi();
  t = await createTestEngine(api.database);
  await t.engine.start();
  const client = restClient(api);
  rest = (method, path, call = {}) =>
    client(method, path, call.body === undefined && method === "POST" ? { ...call, headers: { "content-length": "0", ...call.headers } } : call);
  [ownerA, memberA, viewerA, ownerB] = [
    await signUpUser(api, "SchedOwnerA"),
    await signUpUser(api, "SchedMemberA"),
    await signUpUser(api, "SchedViewerA"),
    await signUpUser(api, "SchedOwnerB"),
  ];
  wsA = (await as(ownerA).workspaces.create({ name: "Schedules Alpha" })).id;
  wsB = (await as(ownerB).workspaces.create({ name: "Schedules Beta" })).id;
  await as(ownerA).members.invite({ workspaceId: wsA, email: memberA.user.email, role: "member" });
  await as(ownerA).members.invite({ workspaceId: wsA, email: viewerA.user.email, role: "viewer" });
  const a = await rest<{ key: string }>("POST", `/api/v1/workspaces/${wsA}/api-keys`, { headers: { cookie: ownerA.cookie }, body: { name: "a", role: "member" } });
  const b = await rest<{ key: string }>("POST", `/api/v1/workspaces/${wsB}/api-keys`, { headers: { cookie: ownerB.cookie }, body: { name: "b", role: "admin" } });
  const v = await rest<{ key: string }>("POST", `/api/v1/workspaces/${wsA}/api-keys`, { headers: { cookie: ownerA.cookie }, body: { name: "v", role: "viewer" } });
  keyA = a.body.key;
  keyB = b.body.key;
  keyViewerA = v.body.key;
  signedUpAt = api.clock.now;
});
/** A REST call with a session cookie, at a clock time when the session is valid. */
async function withSession<T>(call: () => Promise<T>): Promise<T> {
  const saved = api.clock.now;
  api.clock.now = signedUpAt;
  try {
    return await call();
  } finally {
    api.clock.now = saved;
  }
}
// The scheduler is global: a test's schedules must not fire during the next test.
afterEach(async () => {
  await api.deps.db.update(schedules).set({ enabled: false, nextRunAt: null });
});
afterAll(async () => {
  await t?.engine.stop();
  await api?.close();
});

describe("schedules through tRPC", () => {
  it("create (with defaults), list, update (retimes the next slot), disable, enable, delete", async () => {
    setClock("2030-01-01T12:00:30Z");
    const flowId = await createFlow("Hourly digest", simpleFlow);
    const m = as(memberA);
    const created = await m.schedules.create({ workspaceId: wsA, flowId, cron: "0 * * * *" });
    expect(created).toMatchObject({
      flowId,
      cron: "0 * * * *",
      timezone: "UTC",
      enabled: true,
      overlapPolicy: "skip",
      catchupPolicy: "none",
      catchupWindowMs: 3_600_000,
      catchupMax: 10,
      input: null,
      lastSlotAt: null,
    });
    expect(iso(created.nextRunAt)).toBe("2030-01-01T13:00:00.000Z");
    expect(await as(viewerA).schedules.list({ workspaceId: wsA, flowId })).toEqual([created]);

    const retimed = await m.schedules.update({ workspaceId: wsA, scheduleId: created.id, cron: "30 9 * * 1-5", timezone: "Europe/Berlin", input: { region: "eu" } });
    // 2030-01-01 is a Tuesday; 09:30 in Berlin (CET) is 08:30Z.
    expect(retimed).toMatchObject({ cron: "30 9 * * 1-5", timezone: "Europe/Berlin", input: { region: "eu" }, enabled: true });
    expect(iso(retimed.nextRunAt)).toBe("2030-01-02T08:30:00.000Z");

    const policies = await m.schedules.update({ workspaceId: wsA, scheduleId: created.id, overlapPolicy: "queue_one", catchupPolicy: "all", catchupWindowMs: 600_000, catchupMax: 3 });
    expect(policies).toMatchObject({ overlapPolicy: "queue_one", catchupPolicy: "all", catchupWindowMs: 600_000, catchupMax: 3 });
    expect(policies.nextRunAt).toEqual(retimed.nextRunAt);

    const disabled = await m.schedules.update({ workspaceId: wsA, scheduleId: created.id, enabled: false });
    expect(disabled).toMatchObject({ enabled: false, nextRunAt: null });
    // Enabled again two days later: the next slot is after now, the disabled days are not caught up.
    setClock("2030-01-03T10:00:00Z");
    const enabled = await m.schedules.update({ workspaceId: wsA, scheduleId: created.id, enabled: true });
    expect(iso(enabled.nextRunAt)).toBe("2030-01-04T08:30:00.000Z");

    expect(await m.schedules.delete({ workspaceId: wsA, scheduleId: created.id })).toEqual({ id: created.id });
    expect(await m.schedules.list({ workspaceId: wsA, flowId })).toEqual([]);
    const actions = await api.deps.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, wsA), eq(auditLog.targetId, created.id)))
      .orderBy(asc(auditLog.createdAt), asc(auditLog.id));
    expect(actions.map((a) => a.action)).toEqual(["schedule.create", "schedule.update", "schedule.update", "schedule.update", "schedule.update", "schedule.delete"]);
  });

  it("preview: the next five slots of an unsaved expression, in its time zone", async () => {
    setClock("2030-01-01T12:00:30Z");
    const preview = await as(viewerA).schedules.preview({ workspaceId: wsA, cron: "0 9 * * *", timezone: "America/New_York" });
    expect(preview.runs.map(iso)).toEqual([
      "2030-01-01T14:00:00.000Z",
      "2030-01-02T14:00:00.000Z",
      "2030-01-03T14:00:00.000Z",
      "2030-01-04T14:00:00.000Z",
      "2030-01-05T14:00:00.000Z",
    ]);
    const nicknamed = await as(viewerA).schedules.preview({ workspaceId: wsA, cron: "@hourly", after: new Date("2030-06-01T00:10:00Z") });
    expect(nicknamed.runs.map(iso)[0]).toBe("2030-06-01T01:00:00.000Z");
  });

  it("invalid cron, unknown time zone and other bad input are 400s naming the field", async () => {
    const flowId = await createFlow("Bad input", simpleFlow);
    const m = as(memberA);
    const created = await m.schedules.create({ workspaceId: wsA, flowId, cron: "*/5 * * * *" });
    const cases: Array<[string, () => Promise<unknown>, RegExp?]> = [
      ["cron", () => m.schedules.create({ workspaceId: wsA, flowId, cron: "61 * * * *" }), /minute/],
      ["cron", () => m.schedules.create({ workspaceId: wsA, flowId, cron: "every day" })],
      ["cron", () => m.schedules.create({ workspaceId: wsA, flowId, cron: "0 * * * * *" }), /5 parts/],
      ["cron", () => m.schedules.create({ workspaceId: wsA, flowId, cron: "0 0 31 2 *" }), /never matches/],
      ["cron", () => m.schedules.create({ workspaceId: wsA, flowId, cron: "" })],
      ["timezone", () => m.schedules.create({ workspaceId: wsA, flowId, cron: "* * * * *", timezone: "Mars/Olympus_Mons" }), /Unknown time zone/],
      ["overlapPolicy", () => m.schedules.create({ workspaceId: wsA, flowId, cron: "* * * * *", overlapPolicy: "never" as "skip" })],
      ["catchupMax", () => m.schedules.create({ workspaceId: wsA, flowId, cron: "* * * * *", catchupMax: 0 })],
      ["catchupWindowMs", () => m.schedules.create({ workspaceId: wsA, flowId, cron: "* * * * *", catchupWindowMs: -1 })],
      ["input", () => m.schedules.create({ workspaceId: wsA, flowId, cron: "* * * * *", input: [1, 2] as unknown as Record<string, unknown> })],
      ["cron", () => m.schedules.update({ workspaceId: wsA, scheduleId: created.id, cron: "* * *" })],
      ["timezone", () => m.schedules.update({ workspaceId: wsA, scheduleId: created.id, timezone: "Europe/Atlantis" })],
      ["timezone", () => m.schedules.preview({ workspaceId: wsA, cron: "* * * * *", timezone: "Nowhere" })],
      ["cron", () => m.schedules.preview({ workspaceId: wsA, cron: "* * * * * * * *" })],
    ];
    for (const [field, call, message] of cases) {
      const error = await unchanged(() => expectTrpcError(call(), "BAD_REQUEST"));
      expect(fieldOf(error), error.message).toBe(field);
      if (message) expect(error.message).toMatch(message);
    }
  });

  it("the input is checked against the Start block's input schema when saved: 400 naming input.<field>, nothing written", async () => {
    const flowId = await createFlow("Region input", regionFlow);
    const m = as(memberA);
    for (const input of [undefined, null, {}, { region: 7 }]) {
      const error = await unchanged(() => expectTrpcError(m.schedules.create({ workspaceId: wsA, flowId, cron: "0 * * * *", input }), "BAD_REQUEST"));
      expect(fieldOf(error), error.message).toBe("input.region");
      expect(error.message).toContain("input.region");
    }
    const created = await m.schedules.create({ workspaceId: wsA, flowId, cron: "0 * * * *", input: { region: "eu" } });
    const error = await unchanged(() => expectTrpcError(m.schedules.update({ workspaceId: wsA, scheduleId: created.id, input: { country: "de" } }), "BAD_REQUEST"));
    expect(fieldOf(error)).toBe("input.region");
    // A cron change alone does not re-check (the input did not change); a new valid input saves.
    expect((await m.schedules.update({ workspaceId: wsA, scheduleId: created.id, cron: "5 * * * *" })).cron).toBe("5 * * * *");
    expect((await m.schedules.update({ workspaceId: wsA, scheduleId: created.id, input: { region: "us" } })).input).toEqual({ region: "us" });
    const rest400 = await rest("POST", `/api/v1/flows/${flowId}/schedules`, { headers: bearer(keyA), body: { cron: "0 * * * *", input: { region: 1 } } });
    expectRestError(rest400, 400, "BAD_REQUEST");
    expect((rest400.body as ErrorBody).error.path).toBe("input.region");
  });

  it("viewers read (list, preview, slots); creating, changing and deleting needs a member", async () => {
    const flowId = await createFlow("Viewer", simpleFlow);
    const schedule = await as(memberA).schedules.create({ workspaceId: wsA, flowId, cron: "0 0 * * *" });
    const v = as(viewerA);
    expect(await v.schedules.list({ workspaceId: wsA, flowId })).toHaveLength(1);
    expect(await v.schedules.slots({ workspaceId: wsA, scheduleId: schedule.id })).toEqual({ items: [], nextCursor: null });
    for (const call of [
      () => v.schedules.create({ workspaceId: wsA, flowId, cron: "* * * * *" }),
      () => v.schedules.update({ workspaceId: wsA, scheduleId: schedule.id, enabled: false }),
      () => v.schedules.delete({ workspaceId: wsA, scheduleId: schedule.id }),
    ]) {
      await unchanged(() => expectTrpcError(call(), "FORBIDDEN"));
    }
  });

  it("another workspace's flow or schedule is a 404, and nothing changes", async () => {
    const flowId = await createFlow("Tenant A", simpleFlow);
    const otherFlowId = await createFlow("Tenant A, other flow", simpleFlow);
    const schedule = await as(ownerA).schedules.create({ workspaceId: wsA, flowId, cron: "0 0 * * *" });
    const b = as(ownerB);
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["list (A's flow)", () => b.schedules.list({ workspaceId: wsB, flowId })],
      ["create (A's flow)", () => b.schedules.create({ workspaceId: wsB, flowId, cron: "* * * * *" })],
      ["update", () => b.schedules.update({ workspaceId: wsB, scheduleId: schedule.id, enabled: false })],
      ["delete", () => b.schedules.delete({ workspaceId: wsB, scheduleId: schedule.id })],
      ["slots", () => b.schedules.slots({ workspaceId: wsB, scheduleId: schedule.id })],
      ["list in A", () => b.schedules.list({ workspaceId: wsA, flowId })],
      ["update in A", () => b.schedules.update({ workspaceId: wsA, scheduleId: schedule.id, enabled: false })],
      // Under another flow of the same workspace, a schedule is not found either.
      ["update under another flow", () => as(ownerA).schedules.update({ workspaceId: wsA, flowId: otherFlowId, scheduleId: schedule.id, enabled: false })],
    ];
    for (const [name, call] of calls) {
      const error = await unchanged(() => expectTrpcError(call(), "NOT_FOUND"));
      expect(error.message, name).not.toContain("Tenant A");
    }
    // A deleted flow's schedules answer 404 and never fire.
    await as(ownerA).flows.delete({ workspaceId: wsA, flowId });
    await expectTrpcError(as(ownerA).schedules.list({ workspaceId: wsA, flowId }), "NOT_FOUND");
    await expectTrpcError(as(ownerA).schedules.slots({ workspaceId: wsA, scheduleId: schedule.id }), "NOT_FOUND");
    await api.deps.db.update(schedules).set({ enabled: true, nextRunAt: new Date("2030-01-01T00:00:00Z") }).where(eq(schedules.id, schedule.id));
    expect((await tickAt("2030-01-01T00:00:01Z", schedule.id)).slots).toEqual([]);
    expect(await slotsOf(schedule.id)).toEqual([]);
  });
});

describe("schedules through REST", () => {
  it("GET|POST /flows/{id}/schedules, PATCH|DELETE /flows/{id}/schedules/{scheduleId}, slots and preview", async () => {
    setClock("2030-01-01T12:00:30Z");
    const flowId = await createFlow("REST schedules", simpleFlow);
    const created = await rest<{ schedule: ScheduleView }>("POST", `/api/v1/flows/${flowId}/schedules`, {
      headers: bearer(keyA),
      body: { cron: "*/15 * * * *", timezone: "Asia/Tokyo", catchupPolicy: "latest", input: { batch: 7 } },
    });
    expect(created.status, created.text).toBe(201);
    const { schedule } = created.body;
    expect(schedule).toMatchObject({ flowId, cron: "*/15 * * * *", timezone: "Asia/Tokyo", catchupPolicy: "latest", input: { batch: 7 }, nextRunAt: "2030-01-01T12:15:00.000Z" });

    const listed = await rest<{ schedules: ScheduleView[] }>("GET", `/api/v1/flows/${flowId}/schedules`, { headers: bearer(keyViewerA) });
    expect(listed.status).toBe(200);
    expect(listed.body.schedules.map((s) => s.id)).toEqual([schedule.id]);

    const patched = await rest<{ schedule: ScheduleView }>("PATCH", `/api/v1/flows/${flowId}/schedules/${schedule.id}`, {
      headers: bearer(keyA),
      body: { enabled: false, overlapPolicy: "allow" },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.schedule).toMatchObject({ enabled: false, overlapPolicy: "allow", nextRunAt: null });

    const slots = await rest<{ items: unknown[]; nextCursor: null }>("GET", `/api/v1/flows/${flowId}/schedules/${schedule.id}/slots?limit=10`, { headers: bearer(keyA) });
    expect(slots.status).toBe(200);
    expect(slots.body).toEqual({ items: [], nextCursor: null });

    const preview = await rest<{ runs: string[] }>("GET", `/api/v1/schedules/preview?cron=${encodeURIComponent("0 12 * * *")}&timezone=Europe/Berlin&after=2030-07-01T00:00:00Z`, {
      headers: bearer(keyA),
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.runs[0]).toBe("2030-07-01T10:00:00.000Z");
    expect(preview.body.runs).toHaveLength(5);

    const removed = await withSession(() => rest("DELETE", `/api/v1/flows/${flowId}/schedules/${schedule.id}`, { headers: headersOf(memberA) }));
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body).toEqual({ id: schedule.id });
    expectRestError(await rest("DELETE", `/api/v1/flows/${flowId}/schedules/${schedule.id}`, { headers: bearer(keyA) }), 404, "NOT_FOUND");
    const openapi = await rest<{ paths: Record<string, unknown> }>("GET", "/api/v1/openapi.json");
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(["/api/v1/flows/{id}/schedules", "/api/v1/flows/{id}/schedules/{scheduleId}", "/api/v1/schedules/preview"]),
    );
  });

  it("400 naming the field, 403 for viewers, 404 for other workspaces (cookie or API key)", async () => {
    const flowId = await createFlow("REST errors", simpleFlow);
    const { schedule } = (
      await rest<{ schedule: ScheduleView }>("POST", `/api/v1/flows/${flowId}/schedules`, { headers: bearer(keyA), body: { cron: "0 6 * * *" } })
    ).body;
    const bad: Array<[string, string, string, unknown]> = [
      ["POST", `/api/v1/flows/${flowId}/schedules`, "cron", { cron: "0 25 * * *" }],
      ["POST", `/api/v1/flows/${flowId}/schedules`, "timezone", { cron: "0 6 * * *", timezone: "Berlin" }],
      ["PATCH", `/api/v1/flows/${flowId}/schedules/${schedule.id}`, "cron", { cron: "0 0 30 2 *" }],
      ["PATCH", `/api/v1/flows/${flowId}/schedules/${schedule.id}`, "catchupPolicy", { catchupPolicy: "some" }],
      ["GET", `/api/v1/schedules/preview?cron=nope`, "cron", undefined],
      ["GET", `/api/v1/schedules/preview?cron=${encodeURIComponent("* * * * *")}&timezone=Moon/Base`, "timezone", undefined],
    ];
    for (const [method, path, field, body] of bad) {
      const answer = await unchanged(() => rest(method, path, { headers: bearer(keyA), body }));
      expectRestError(answer, 400, "BAD_REQUEST");
      expect((answer.body as ErrorBody).error.path, `${method} ${path}`).toBe(field);
    }
    for (const [method, path, body] of [
      ["POST", `/api/v1/flows/${flowId}/schedules`, { cron: "* * * * *" }],
      ["PATCH", `/api/v1/flows/${flowId}/schedules/${schedule.id}`, { enabled: false }],
      ["DELETE", `/api/v1/flows/${flowId}/schedules/${schedule.id}`, undefined],
    ] as const) {
      for (const headers of [bearer(keyViewerA), headersOf(viewerA)]) {
        expectRestError(await unchanged(() => withSession(() => rest(method, path, { headers, body }))), 403, "FORBIDDEN");
      }
    }
    const strangers: Array<Record<string, string>> = [bearer(keyB), { cookie: ownerB.cookie }, headersOf(ownerB, wsA)];
    for (const headers of strangers) {
      for (const [method, path, body] of [
        ["GET", `/api/v1/flows/${flowId}/schedules`, undefined],
        ["POST", `/api/v1/flows/${flowId}/schedules`, { cron: "* * * * *" }],
        ["PATCH", `/api/v1/flows/${flowId}/schedules/${schedule.id}`, { enabled: false }],
        ["DELETE", `/api/v1/flows/${flowId}/schedules/${schedule.id}`, undefined],
        ["GET", `/api/v1/flows/${flowId}/schedules/${schedule.id}/slots`, undefined],
      ] as const) {
        const answer = await unchanged(() => withSession(() => rest(method, path, { headers, body })));
        expectRestError(answer, 404, "NOT_FOUND");
        expect(answer.text).not.toContain("0 6 * * *");
      }
    }
  });
});

describe("catch-up: a fake clock drives a 1-minute schedule through a 10-minute outage", () => {
  // Created at 12:00:30, fired on time at 12:01, then no scheduler ran until 12:11:30: the slots
  // 12:02 ... 12:11 were missed (12:11 is 30 s late, more than the 10 s grace). Then 12:12 on time.
  // The slots a policy does not catch up are recorded as `missed` (no run).
  type Policy = { catchupPolicy: "none" | "latest" | "all"; catchupWindowMs?: number; catchupMax?: number };
  const cases: Array<[string, Policy, string[]]> = [
    ["none: missed slots are dropped, the next slot fires", { catchupPolicy: "none" }, []],
    ["latest: one run for the latest missed slot", { catchupPolicy: "latest" }, ["12:11"]],
    ["all: every missed slot within the window (5 min), oldest first", { catchupPolicy: "all", catchupWindowMs: 300_000, catchupMax: 10 }, ["12:07", "12:08", "12:09", "12:10", "12:11"]],
    ["all: at most catchupMax (3), the newest, oldest first", { catchupPolicy: "all", catchupWindowMs: 3_600_000, catchupMax: 3 }, ["12:09", "12:10", "12:11"]],
  ];
  const slot = (hhmm: string) => `2030-02-01T${hhmm}:00.000Z`;
  const outage = ["12:02", "12:03", "12:04", "12:05", "12:06", "12:07", "12:08", "12:09", "12:10", "12:11"];

  it.each(cases)("%s", async (_name, policy, caughtUp) => {
    setClock("2030-02-01T12:00:30Z");
    const flowId = await createFlow(`Catch-up ${JSON.stringify(policy)}`, simpleFlow);
    const schedule = await as(memberA).schedules.create({ workspaceId: wsA, flowId, cron: "* * * * *", overlapPolicy: "allow", input: { batch: "nightly" }, ...policy });

    expect((await tickAt("2030-02-01T12:00:59Z", schedule.id)).slots).toEqual([]);
    expect((await tickAt("2030-02-01T12:01:00Z", schedule.id)).slots.map((s) => [iso(s.slotAt), s.outcome])).toEqual([[slot("12:01"), "started"]]);
    // The outage: nothing ticks until 12:11:30.
    const after = await tickAt("2030-02-01T12:11:30Z", schedule.id);
    const outageOutcomes = outage.map((at) => [slot(at), caughtUp.includes(at) ? "started" : "missed"]);
    expect(after.slots.map((s) => [iso(s.slotAt), s.outcome])).toEqual(outageOutcomes);
    expect(after.slots.filter((s) => s.outcome === "missed").every((s) => s.executionId === null && /catch-up policy/.test(s.error ?? ""))).toBe(true);
    expect((await tickAt("2030-02-01T12:12:00Z", schedule.id)).slots.map((s) => iso(s.slotAt))).toEqual([slot("12:12")]);
    // Ticking again at the same time fires nothing more.
    expect((await tickAt("2030-02-01T12:12:00Z", schedule.id)).slots).toEqual([]);

    const expected = ["12:01", ...caughtUp, "12:12"].map(slot);
    const recorded = await slotsOf(schedule.id);
    expect(recorded.map((s) => [iso(s.slotAt), s.outcome])).toEqual([[slot("12:01"), "started"], ...outageOutcomes, [slot("12:12"), "started"]]);
    // One run per started slot, a schedule run, whose input carries the trigger and the schedule's input.
    for (const s of recorded.filter((r) => r.outcome === "started")) {
      const run = await execution(s.executionId!);
      expect(run).toMatchObject({ flowId, workspaceId: wsA, triggerType: "schedule" });
      expect(run.input).toEqual({ batch: "nightly", trigger: { type: "schedule", scheduleId: schedule.id, slot: iso(s.slotAt), firedAt: expect.any(String) as string } });
    }
    const [runs] = await api.deps.db.select({ n: count() }).from(flowExecutions).where(eq(flowExecutions.flowId, flowId));
    expect(runs!.n).toBe(expected.length);
    const [row] = await api.deps.db.select().from(schedules).where(eq(schedules.id, schedule.id));
    expect([iso(row!.lastSlotAt), iso(row!.nextRunAt)]).toEqual([slot("12:12"), slot("12:13")]);

    // The runs are filterable by trigger type (tRPC and REST) and listed in the slot history.
    const listed = await as(viewerA).executions.list({ workspaceId: wsA, flowId, triggerType: "schedule" });
    expect(listed.items).toHaveLength(expected.length);
    expect((await as(viewerA).executions.list({ workspaceId: wsA, flowId, triggerType: "manual" })).items).toEqual([]);
    const viaRest = await rest<{ items: Array<{ triggerType: string }> }>("GET", `/api/v1/executions?flowId=${flowId}&triggerType=schedule`, { headers: bearer(keyA) });
    expect(viaRest.body.items.map((i) => i.triggerType)).toEqual(expected.map(() => "schedule"));
    const history = await as(viewerA).schedules.slots({ workspaceId: wsA, scheduleId: schedule.id, limit: 1 });
    expect(history.items.map((i) => iso(i.slotAt))).toEqual([slot("12:12")]);
    const rest2 = await as(viewerA).schedules.slots({ workspaceId: wsA, scheduleId: schedule.id, cursor: history.nextCursor!, limit: 100 });
    expect([...history.items, ...rest2.items].map((i) => [iso(i.slotAt), i.outcome])).toEqual(
      recorded.map((r) => [iso(r.slotAt), r.outcome]).reverse(),
    );
  });

  it("an unknown trigger type is a 400 naming the field", async () => {
    const error = await expectTrpcError(as(viewerA).executions.list({ workspaceId: wsA, triggerType: "cron" as "schedule" }), "BAD_REQUEST");
    expect(fieldOf(error)).toBe("triggerType");
    const answer = await rest("GET", "/api/v1/executions?triggerType=cron", { headers: bearer(keyA) });
    expectRestError(answer, 400, "BAD_REQUEST");
    expect((answer.body as ErrorBody).error.path).toBe("triggerType");
  });
});

describe("overlap: a slot that comes while the schedule's previous run is still active (kept by an approval)", () => {
  const slot = (hhmm: string) => `2030-03-01T${hhmm}:00.000Z`;
  async function setup(overlapPolicy: "skip" | "queue_one" | "allow") {
    setClock("2030-03-01T12:00:30Z");
    const flowId = await createFlow(`Overlap ${overlapPolicy}`, approvalFlow);
    return as(memberA).schedules.create({ workspaceId: wsA, flowId, cron: "* * * * *", overlapPolicy });
  }
  const outcomes = async (scheduleId: string) => (await slotsOf(scheduleId)).map((s) => [iso(s.slotAt), s.outcome]);
  const approve = (executionId: string) => as(memberA).executions.approve({ workspaceId: wsA, executionId });

  it("skip: slots are recorded as skipped until the active run ends", async () => {
    const schedule = await setup("skip");
    const [first] = (await tickAt("2030-03-01T12:01:00Z", schedule.id)).slots;
    await t.waitFor(first!.executionId!, ["paused"]);
    const [second] = (await tickAt("2030-03-01T12:02:00Z", schedule.id)).slots;
    expect(second).toMatchObject({ outcome: "skipped", executionId: null });
    expect(second!.error).toContain(first!.executionId);
    await tickAt("2030-03-01T12:03:00Z");
    await approve(first!.executionId!);
    await t.waitFor(first!.executionId!, ["completed"]);
    const [fourth] = (await tickAt("2030-03-01T12:04:00Z", schedule.id)).slots;
    expect(fourth!.outcome).toBe("started");
    expect(await outcomes(schedule.id)).toEqual([
      [slot("12:01"), "started"],
      [slot("12:02"), "skipped"],
      [slot("12:03"), "skipped"],
      [slot("12:04"), "started"],
    ]);
    await t.waitFor(fourth!.executionId!, ["paused"]);
    await as(memberA).executions.cancel({ workspaceId: wsA, executionId: fourth!.executionId! });
  });

  it("queue_one: one held run starts only after the active one finishes; further slots are skipped", async () => {
    const schedule = await setup("queue_one");
    const [first] = (await tickAt("2030-03-01T12:01:00Z", schedule.id)).slots;
    const a = first!.executionId!;
    await t.waitFor(a, ["paused"]);
    const [second] = (await tickAt("2030-03-01T12:02:00Z", schedule.id)).slots;
    expect(second!.outcome).toBe("queued");
    const b = second!.executionId!;
    const [third] = (await tickAt("2030-03-01T12:03:00Z", schedule.id)).slots;
    expect(third).toMatchObject({ outcome: "skipped", executionId: null });

    // The engine is working (a manual run of another flow completes) but leaves the queued run alone.
    const other = await createFlow("Overlap bystander", simpleFlow);
    const manual = await as(memberA).executions.start({ workspaceId: wsA, flowId: other, input: {} });
    await t.waitFor(manual.executionId, ["completed"]);
    expect((await tickAt("2030-03-01T12:03:10Z")).released).toEqual([]);
    expect(await execution(b)).toMatchObject({ status: "pending", startedAt: null, held: true, wakeAt: null });
    expect(await t.store.events(b)).toEqual([]);

    await approve(a);
    const done = await t.waitFor(a, ["completed"]);
    // The next pass releases it (no new slot is due at 12:03:20).
    const pass = await tickAt("2030-03-01T12:03:20Z", schedule.id);
    expect(pass).toEqual({ released: [b], slots: [] });
    const started = await t.waitFor(b, ["paused"]);
    expect(started.execution.startedAt!.getTime()).toBeGreaterThanOrEqual(done.execution.finishedAt!.getTime());

    // B is now the active run: the next slot is queued behind it.
    const [fourth] = (await tickAt("2030-03-01T12:04:00Z", schedule.id)).slots;
    expect(fourth!.outcome).toBe("queued");
    expect(await outcomes(schedule.id)).toEqual([
      [slot("12:01"), "started"],
      [slot("12:02"), "queued"],
      [slot("12:03"), "skipped"],
      [slot("12:04"), "queued"],
    ]);
    const history = await as(viewerA).schedules.slots({ workspaceId: wsA, scheduleId: schedule.id });
    expect(history.items.map((i) => [i.outcome, i.executionStatus])).toEqual([
      ["queued", "pending"],
      ["skipped", null],
      ["queued", "paused"],
      ["started", "completed"],
    ]);

    // Deleting the schedule cancels the run it still holds; the started one keeps going.
    await as(memberA).schedules.delete({ workspaceId: wsA, scheduleId: schedule.id });
    expect((await execution(fourth!.executionId!)).status).toBe("cancelled");
    expect((await execution(b)).status).toBe("paused");
    await as(memberA).executions.cancel({ workspaceId: wsA, executionId: b });
  });

  it("a held run whose schedule is gone (a delete that could not cancel it) is cancelled by the next pass", async () => {
    const flowId = await createFlow("Orphan", simpleFlow);
    const orphan = await createRun(api.deps, {
      workspaceId: wsA,
      flowId,
      input: {},
      triggerType: "schedule",
      idempotencyKey: scheduleRunKey(randomUUID(), new Date("2030-03-01T12:00:00Z")),
      held: true,
    });
    expect(await tickAt("2030-03-01T12:00:10Z")).toEqual({ released: [], slots: [] });
    expect((await execution(orphan.id)).status).toBe("cancelled");
  });

  it("allow: another run starts while the first is still active", async () => {
    const schedule = await setup("allow");
    const [first] = (await tickAt("2030-03-01T12:01:00Z", schedule.id)).slots;
    const [second] = (await tickAt("2030-03-01T12:02:00Z", schedule.id)).slots;
    expect([first!.outcome, second!.outcome]).toEqual(["started", "started"]);
    await Promise.all([t.waitFor(first!.executionId!, ["paused"]), t.waitFor(second!.executionId!, ["paused"])]);
    expect(await outcomes(schedule.id)).toEqual([
      [slot("12:01"), "started"],
      [slot("12:02"), "started"],
    ]);
    for (const id of [first!.executionId!, second!.executionId!]) await as(memberA).executions.cancel({ workspaceId: wsA, executionId: id });
  });
});

describe("failed slots", () => {
  it("a run that cannot be created is a failed slot with the reason; the schedule goes on", async () => {
    setClock("2030-04-01T08:59:30Z");
    // Saved while the flow needed no input; the flow gained a required field afterwards.
    const flowId = await createFlow("Needs a region", simpleFlow);
    const schedule = await as(memberA).schedules.create({ workspaceId: wsA, flowId, cron: "0 * * * *" });
    await as(ownerA).flows.update({ workspaceId: wsA, flowId, version: 1, ...(regionFlow as { nodes: never[]; edges: never[] }) });
    const [failed] = (await tickAt("2030-04-01T09:00:00Z", schedule.id)).slots;
    expect(failed).toMatchObject({ outcome: "failed", executionId: null });
    expect(failed!.error).toMatch(/input\.region/);
    await as(memberA).schedules.update({ workspaceId: wsA, scheduleId: schedule.id, input: { region: "eu" } });
    const [ok] = (await tickAt("2030-04-01T10:00:00Z", schedule.id)).slots;
    expect(ok!.outcome).toBe("started");
    expect((await execution(ok!.executionId!)).input).toMatchObject({ region: "eu", trigger: { slot: "2030-04-01T10:00:00.000Z" } });
    expect((await slotsOf(schedule.id)).map((s) => [s.outcome, s.error === null])).toEqual([
      ["failed", false],
      ["started", true],
    ]);
  });
});

describe("backlog, downtime and broken schedules", () => {
  const slot = "2030-05-01T12:00:00.000Z";
  async function fiveDue(name: string) {
    setClock("2030-05-01T11:59:30Z");
    const flowId = await createFlow(name, simpleFlow);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await as(memberA).schedules.create({ workspaceId: wsA, flowId, cron: "0 * * * *" })).id);
    return ids;
  }

  it("a backlog is not downtime: with batchSize 2, one tick fires all 5 schedules due at one slot, though each pass starts 20 s later", async () => {
    const ids = await fiveDue("Backlog");
    // The scheduler's clock moves 20 s per read (once per pass): passes at 12:00:01, 12:00:21, 12:00:41.
    let clock = new Date("2030-05-01T12:00:01Z").getTime();
    const reads: string[] = [];
    const s = createScheduler({
      deps: api.deps,
      batchSize: 2,
      now: () => {
        const now = new Date(clock);
        clock += 20_000;
        reads.push(now.toISOString());
        return now;
      },
    });
    const { slots } = await s.tick();
    expect(reads).toEqual(["2030-05-01T12:00:01.000Z", "2030-05-01T12:00:21.000Z", "2030-05-01T12:00:41.000Z"]);
    expect(slots.map((h) => [h.scheduleId, iso(h.slotAt), h.outcome]).sort()).toEqual(ids.map((id) => [id, slot, "started"]).sort());
    for (const id of ids) {
      expect((await slotsOf(id)).map((r) => [iso(r.slotAt), r.outcome])).toEqual([[slot, "started"]]);
      const [row] = await api.deps.db.select().from(schedules).where(eq(schedules.id, id));
      expect(iso(row!.nextRunAt)).toBe("2030-05-01T13:00:00.000Z");
    }
  });

  it("a tick that stops at maxPassesPerTick leaves a backlog the next tick continues: still on time", async () => {
    const ids = await fiveDue("Backlog across ticks");
    let clock = new Date("2030-05-01T12:00:01Z").getTime();
    const s = createScheduler({
      deps: api.deps,
      batchSize: 2,
      maxPassesPerTick: 1,
      now: () => {
        const now = new Date(clock);
        clock += 20_000;
        return now;
      },
    });
    const perTick: string[][] = [];
    for (let i = 0; i < 3; i++) perTick.push((await s.tick()).slots.map((h) => h.outcome));
    expect(perTick).toEqual([["started", "started"], ["started", "started"], ["started"]]);
    for (const id of ids) expect((await slotsOf(id)).map((r) => [iso(r.slotAt), r.outcome])).toEqual([[slot, "started"]]);
  });

  it("true downtime still drops the slot under catch-up policy none, and records it as missed", async () => {
    const ids = await fiveDue("Downtime");
    // The first pass after the slot is 30 s late (no scheduler ran at 12:00): every slot is missed.
    const { slots } = await createScheduler({ deps: api.deps, batchSize: 2, now: () => new Date("2030-05-01T12:00:30Z") }).tick();
    expect(slots.map((h) => [h.scheduleId, h.outcome, h.executionId]).sort()).toEqual(ids.map((id) => [id, "missed", null]).sort());
    for (const id of ids) {
      expect((await slotsOf(id)).map((r) => [iso(r.slotAt), r.outcome, r.executionId])).toEqual([[slot, "missed", null]]);
    }
    const history = await as(viewerA).schedules.slots({ workspaceId: wsA, scheduleId: ids[0]! });
    expect(history.items.map((i) => [iso(i.slotAt), i.outcome, i.executionStatus])).toEqual([[slot, "missed", null]]);
  });

  it("a schedule that cannot be handled (a corrupt cron in its row) does not block the schedules behind it", async () => {
    setClock("2030-06-01T11:59:30Z");
    const flowId = await createFlow("Broken neighbour", simpleFlow);
    const broken = await as(memberA).schedules.create({ workspaceId: wsA, flowId, cron: "* * * * *" });
    const healthy = await as(memberA).schedules.create({ workspaceId: wsA, flowId, cron: "* * * * *", overlapPolicy: "allow" });
    // Written around the API; due first, so it is claimed first.
    await api.deps.db.update(schedules).set({ cron: "not a cron", nextRunAt: new Date("2030-06-01T11:59:00Z") }).where(eq(schedules.id, broken.id));

    const errors: unknown[] = [];
    const s = () => createScheduler({ deps: api.deps, batchSize: 1, now: () => api.clock.now, onError: (error) => errors.push(error) });
    setClock("2030-06-01T12:00:00Z");
    const first = await s().tick();
    expect(first.slots.map((h) => [h.scheduleId, iso(h.slotAt), h.outcome])).toEqual([[healthy.id, "2030-06-01T12:00:00.000Z", "started"]]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ScheduleHandlingError);
    expect(errors[0]).toMatchObject({ scheduleId: broken.id, retryAt: new Date("2030-06-01T12:01:00Z") });
    const [row] = await api.deps.db.select().from(schedules).where(eq(schedules.id, broken.id));
    expect(iso(row!.nextRunAt)).toBe("2030-06-01T12:01:00.000Z");
    expect(await slotsOf(broken.id)).toEqual([]);

    // The next slot: the broken one fails again (reported), the healthy one fires again.
    setClock("2030-06-01T12:01:00Z");
    const second = await s().tick();
    expect(second.slots.map((h) => [h.scheduleId, iso(h.slotAt), h.outcome])).toEqual([[healthy.id, "2030-06-01T12:01:00.000Z", "started"]]);
    expect(errors).toHaveLength(2);
    expect((await slotsOf(healthy.id)).map((r) => r.outcome)).toEqual(["started", "started"]);
  });
});

describe("the scheduler's clock", () => {
  it("without a `now` option, due times are compared to the database's clock, not the process's", async () => {
    setClock("2030-07-01T12:00:00Z");
    const flowId = await createFlow("Database clock", simpleFlow);
    const due = await as(memberA).schedules.create({ workspaceId: wsA, flowId, cron: "* * * * *", catchupPolicy: "latest" });
    const later = await as(memberA).schedules.create({ workspaceId: wsA, flowId, cron: "* * * * *", catchupPolicy: "latest" });
    // By the real clock (the database's): one is due this minute, the other only in an hour.
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await api.deps.db.update(schedules).set({ nextRunAt: minute }).where(eq(schedules.id, due.id));
    await api.deps.db.update(schedules).set({ nextRunAt: new Date(minute.getTime() + 3_600_000) }).where(eq(schedules.id, later.id));
    // The process's clock (deps.now) is far ahead: it would make both due.
    const { slots } = await createScheduler({ deps: { ...api.deps, now: () => new Date("2100-01-01T00:00:00Z") } }).tick();
    expect(slots.map((h) => [h.scheduleId, h.outcome])).toEqual([[due.id, "started"]]);
    expect(slots[0]!.slotAt.getTime()).toBeGreaterThanOrEqual(minute.getTime());
    expect(slots[0]!.slotAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await slotsOf(later.id)).toEqual([]);
  });
});

describe("DST in Europe/Berlin (documented in services/schedules/cron.ts)", () => {
  const local = (d: Date) =>
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    }).format(d);

  it("`30 2 * * *` on the spring-forward night (02:30 does not exist) runs at 03:00 CEST, once", async () => {
    setClock("2026-03-28T12:00:00Z");
    const flowId = await createFlow("DST spring", simpleFlow);
    const schedule = await as(memberA).schedules.create({ workspaceId: wsA, flowId, cron: "30 2 * * *", timezone: "Europe/Berlin" });
    const preview = await as(viewerA).schedules.preview({ workspaceId: wsA, cron: "30 2 * * *", timezone: "Europe/Berlin" });
    expect(preview.runs.slice(0, 3).map(local)).toEqual(["29/03/2026, 03:00 CEST", "30/03/2026, 02:30 CEST", "31/03/2026, 02:30 CEST"]);
    expect(iso(schedule.nextRunAt)).toBe("2026-03-29T01:00:00.000Z");

    expect((await tickAt("2026-03-29T00:59:59Z", schedule.id)).slots).toEqual([]);
    expect((await tickAt("2026-03-29T01:00:00Z", schedule.id)).slots.map((s) => iso(s.slotAt))).toEqual(["2026-03-29T01:00:00.000Z"]);
    expect((await tickAt("2026-03-29T01:30:00Z", schedule.id)).slots).toEqual([]);
    expect((await tickAt("2026-03-30T00:30:00Z", schedule.id)).slots.map((s) => local(s.slotAt))).toEqual(["30/03/2026, 02:30 CEST"]);
    expect((await slotsOf(schedule.id)).map((s) => iso(s.slotAt))).toEqual(["2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"]);
  });

  it("`30 2 * * *` on the fall-back night (02:30 happens twice) runs once, at the first 02:30 (CEST)", async () => {
    setClock("2026-10-24T12:00:00Z");
    const flowId = await createFlow("DST autumn", simpleFlow);
    const schedule = await as(memberA).schedules.create({ workspaceId: wsA, flowId, cron: "30 2 * * *", timezone: "Europe/Berlin" });
    expect(iso(schedule.nextRunAt)).toBe("2026-10-25T00:30:00.000Z");
    expect((await tickAt("2026-10-25T00:30:00Z", schedule.id)).slots.map((s) => local(s.slotAt))).toEqual(["25/10/2026, 02:30 CEST"]);
    // 02:30 CET, an hour later: not a second run.
    expect((await tickAt("2026-10-25T01:30:00Z", schedule.id)).slots).toEqual([]);
    expect((await tickAt("2026-10-26T01:30:00Z", schedule.id)).slots.map((s) => local(s.slotAt))).toEqual(["26/10/2026, 02:30 CET"]);
    expect((await slotsOf(schedule.id)).map((s) => iso(s.slotAt))).toEqual(["2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"]);
  });

  it("`*/30 * * * *` keeps its rhythm in real time: the gap's times are skipped, the repeated times run twice", async () => {
    setClock("2026-10-24T23:10:00Z");
    const flowId = await createFlow("DST interval", simpleFlow);
    const schedule = await as(memberA).schedules.create({ workspaceId: wsA, flowId, cron: "*/30 * * * *", timezone: "Europe/Berlin", overlapPolicy: "allow" });
    for (const at of ["23:30", "00:00", "00:30", "01:00", "01:30", "02:00"]) {
      const day = at.startsWith("23") ? "24" : "25";
      await tickAt(`2026-10-${day}T${at}:00Z`, schedule.id);
    }
    expect((await slotsOf(schedule.id)).map((s) => local(s.slotAt))).toEqual([
      "25/10/2026, 01:30 CEST",
      "25/10/2026, 02:00 CEST",
      "25/10/2026, 02:30 CEST",
      "25/10/2026, 02:00 CET",
      "25/10/2026, 02:30 CET",
      "25/10/2026, 03:00 CET",
    ]);
    const spring = await as(viewerA).schedules.preview({ workspaceId: wsA, cron: "*/30 * * * *", timezone: "Europe/Berlin", after: new Date("2026-03-29T00:10:00Z") });
    expect(spring.runs.map(iso)).toEqual(["2026-03-29T00:30:00.000Z", "2026-03-29T01:00:00.000Z", "2026-03-29T01:30:00.000Z", "2026-03-29T02:00:00.000Z", "2026-03-29T02:30:00.000Z"]);
    expect(spring.runs.map(local).slice(0, 2)).toEqual(["29/03/2026, 01:30 CET", "29/03/2026, 03:00 CEST"]);
  });
});
