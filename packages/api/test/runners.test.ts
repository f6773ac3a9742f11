import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq, executionEvents, flows, runnerJobs, runnerRegistrationTokens, runners } from "@weft/db";
import { cancelExecution, createRunnerJobStore, type RunnerJobStore } from "@weft/engine";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectRestError, restClient, signUpUser, type SignedUpUser } from "./support";

/**
 * Self-hosted runners, the server side: registration tokens, the credential exchange, list/revoke,
 * and the runner protocol (claim by workspace and labels, heartbeat, log chunks, result, cancel),
 * with a second workspace that never sees the first one's runners or jobs.
 */

let api: TestApi;
let rest: ReturnType<typeof restClient>;
let jobs: RunnerJobStore;
let owner: SignedUpUser;
let member: SignedUpUser;
let other: SignedUpUser;
let workspaceId: string;
let otherWorkspaceId: string;

const sha256Hex = (value: string) => createHash("sha256").update(value).digest("hex");
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
type Registered = { runner: { id: string; workspaceId: string; labels: string[] }; credential: string };
type ClaimedJob = { id: string; executionId: string; nodeId: string; idempotencyKey: string; payload: Record<string, unknown>; claims: number; env: Record<string, string> };

async function workspaceOf(who: SignedUpUser, name: string) {
  const res = await rest<{ workspace: { id: string } }>("POST", "/api/v1/workspaces", { headers: { cookie: who.cookie }, body: { name } });
  expect(res.status).toBe(201);
  return res.body.workspace.id;
}

async function newToken(who: SignedUpUser, ws: string, body: Record<string, unknown> = {}) {
  const res = await rest<{ id: string; token: string; labels: string[]; expiresAt: string }>("POST", "/api/v1/runners/registration-tokens", {
    headers: { cookie: who.cookie, "x-weft-workspace": ws },
    body,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function registerRunner(who: SignedUpUser, ws: string, labels: string[], name = "box") {
  const { token } = await newToken(who, ws);
  const res = await rest<Registered>("POST", "/api/v1/runner/register", { body: { token, name, labels, version: "0.1.0", hostname: "ci-1" } });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function newExecution(ws: string) {
  const [flow] = await api.deps.db.insert(flows).values({ workspaceId: ws, name: "Runner flow", nodes: [], edges: [] }).returning({ id: flows.id });
  return api.deps.executions.create({ workspaceId: ws, flowId: flow!.id, graph: { nodes: [], edges: [] }, input: {} });
}

async function enqueue(ws: string, runsOn: string[], nodeId = "script1", payload: Record<string, unknown> = { argv: ["echo", "hi"] }) {
  const execution = await newExecution(ws);
  const job = await jobs.enqueue({ workspaceId: ws, executionId: execution.id, nodeId, iteration: "", attempt: 1, blockType: "script", runsOn, payload });
  return { execution, job };
}

const claim = (credential: string, waitMs = 0) => rest<{ job: ClaimedJob | null }>("POST", "/api/v1/runner/jobs/claim", { headers: bearer(credential), body: { waitMs } });

beforeAll(async () => {
  api = await createTestApi();
  rest = restClient(api);
  jobs = createRunnerJobStore({ db: api.deps.db, bus: api.deps.bus });
  owner = await signUpUser(api, "Owner");
  member = await signUpUser(api, "Member");
  other = await signUpUser(api, "Other");
  workspaceId = await workspaceOf(owner, "Runners Inc");
  otherWorkspaceId = await workspaceOf(other, "Elsewhere");
  await callerFor(api.deps, owner.user).members.invite({ workspaceId, email: member.user.email, role: "member" });
});
afterAll(async () => api?.close());

describe("registration tokens and the credential exchange", () => {
  it("gives a one-time token to admins, stored hashed, that registers exactly one runner", async () => {
    const created = await newToken(owner, workspaceId, { labels: ["linux"], expiresInMinutes: 10 });
    expect(created.token).toMatch(/^weftrt_[A-Za-z0-9_-]{43}$/);
    const [row] = await api.deps.db.select().from(runnerRegistrationTokens).where(eq(runnerRegistrationTokens.id, created.id));
    expect(row!.tokenHash).toBe(sha256Hex(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token.slice(12));

    const first = await rest<Registered>("POST", "/api/v1/runner/register", { body: { token: created.token, name: "builder", labels: ["gpu", "linux"] } });
    expect(first.status).toBe(201);
    expect(first.body.credential).toMatch(/^weftr_[A-Za-z0-9_-]{43}$/);
    expect(first.body.runner).toMatchObject({ workspaceId, labels: ["gpu", "linux"] });
    const [runner] = await api.deps.db.select().from(runners).where(eq(runners.id, first.body.runner.id));
    expect(runner!.credentialHash).toBe(sha256Hex(first.body.credential));
    expect(JSON.stringify(runner)).not.toContain(first.body.credential.slice(10));

    const again = await rest("POST", "/api/v1/runner/register", { body: { token: created.token, name: "second", labels: [] } });
    expectRestError(again, 401, "UNAUTHORIZED");
  });

  it("refuses expired tokens, bad labels (naming the field), members and API keys", async () => {
    const { token } = await newToken(owner, workspaceId, { expiresInMinutes: 1 });
    api.clock.advance(61_000);
    expectRestError(await rest("POST", "/api/v1/runner/register", { body: { token, name: "late" } }), 401, "UNAUTHORIZED");

    const bad = await rest<{ error: { path: string } }>("POST", "/api/v1/runners/registration-tokens", {
      headers: { cookie: owner.cookie, "x-weft-workspace": workspaceId },
      body: { labels: ["ok", "not ok; rm -rf /"] },
    });
    expectRestError(bad, 400, "BAD_REQUEST");
    expect(bad.body.error.path).toBe("labels[1]");
    const badRegister = await rest<{ error: { path: string } }>("POST", "/api/v1/runner/register", { body: { token: "x", name: "" } });
    expectRestError(badRegister, 400, "BAD_REQUEST");
    expect(badRegister.body.error.path).toBe("name");

    const byMember = await rest("POST", "/api/v1/runners/registration-tokens", { headers: { cookie: member.cookie, "x-weft-workspace": workspaceId }, body: {} });
    expectRestError(byMember, 403, "FORBIDDEN");
    const key = await callerFor(api.deps, owner.user).apiKeys.create({ workspaceId, name: "ci", role: "admin" });
    expectRestError(await rest("POST", "/api/v1/runners/registration-tokens", { headers: bearer(key.key), body: {} }), 403, "FORBIDDEN");
  });
});

describe("list and revoke", () => {
  it("lists labels, online, version and the current step; other workspaces see none and get 404", async () => {
    const { runner, credential } = await registerRunner(owner, workspaceId, ["list-me"], "lister");
    const { job } = await enqueue(workspaceId, ["list-me"], "listed");
    const claimed = await claim(credential);
    expect(claimed.body.job?.id).toBe(job.id);

    const list = await rest<{ runners: Array<Record<string, unknown>> }>("GET", "/api/v1/runners", { headers: { cookie: member.cookie, "x-weft-workspace": workspaceId } });
    expect(list.status).toBe(200);
    const entry = list.body.runners.find((r) => r.id === runner.id);
    expect(entry).toMatchObject({ name: "lister", labels: ["list-me"], online: true, version: "0.1.0", hostname: "ci-1", revokedAt: null });
    expect(entry!.currentStep).toMatchObject({ jobId: job.id, nodeId: "listed", blockType: "script" });
    expect(list.text).not.toContain(credential.slice(10));
    expect(list.text).not.toContain(sha256Hex(credential));

    const theirs = await rest<{ runners: unknown[] }>("GET", "/api/v1/runners", { headers: { cookie: other.cookie, "x-weft-workspace": otherWorkspaceId } });
    expect(theirs.body.runners).toEqual([]);
    expectRestError(await rest("GET", "/api/v1/runners", { headers: { cookie: other.cookie, "x-weft-workspace": workspaceId } }), 404, "NOT_FOUND");
    expectRestError(await rest("DELETE", `/api/v1/runners/${runner.id}`, { headers: { cookie: other.cookie, "x-weft-workspace": otherWorkspaceId } }), 404, "NOT_FOUND");
    expectRestError(await rest("DELETE", `/api/v1/runners/${runner.id}`, { headers: { cookie: member.cookie, "x-weft-workspace": workspaceId } }), 403, "FORBIDDEN");
    const [still] = await api.deps.db.select().from(runners).where(eq(runners.id, runner.id));
    expect(still!.revokedAt).toBeNull();
  });

  it("revoked: every runner call answers 401 and its step goes back to the queue", async () => {
    const a = await registerRunner(owner, workspaceId, ["revoke-me"], "doomed");
    const b = await registerRunner(owner, workspaceId, ["revoke-me"], "heir");
    const { job } = await enqueue(workspaceId, ["revoke-me"], "revoked-step");
    expect((await claim(a.credential)).body.job?.id).toBe(job.id);
    const revoked = await rest<{ revokedAt: string }>("DELETE", `/api/v1/runners/${a.runner.id}`, { headers: { cookie: owner.cookie, "x-weft-workspace": workspaceId } });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBeTruthy();

    expectRestError(await claim(a.credential), 401, "UNAUTHORIZED");
    expectRestError(await rest("POST", `/api/v1/runner/jobs/${job.id}/heartbeat`, { headers: bearer(a.credential) }), 401, "UNAUTHORIZED");
    expectRestError(await rest("POST", `/api/v1/runner/jobs/${job.id}/result`, { headers: bearer(a.credential), body: { status: "completed", output: {} } }), 401, "UNAUTHORIZED");
    expectRestError(await rest("POST", "/api/v1/runner/jobs/claim", { headers: bearer("weftr_nonsense"), body: {} }), 401, "UNAUTHORIZED");
    expectRestError(await rest("POST", "/api/v1/runner/jobs/claim", { body: {} }), 401, "UNAUTHORIZED");

    const taken = await claim(b.credential);
    expect(taken.body.job).toMatchObject({ id: job.id, idempotencyKey: job.idempotencyKey, claims: 2 });
  });
});

describe("the runner protocol", () => {
  it("routes by labels within the workspace only; a long-poll claim wakes when a step is enqueued", async () => {
    const linux = await registerRunner(owner, workspaceId, ["linux", "docker"], "linux");
    const mac = await registerRunner(owner, workspaceId, ["mac"], "mac");
    const foreign = await registerRunner(other, otherWorkspaceId, ["linux", "docker", "mac"], "foreign");

    const { job } = await enqueue(workspaceId, ["linux", "docker"], "routed");
    expect((await claim(mac.credential)).body.job).toBeNull();
    expect((await claim(foreign.credential)).body.job).toBeNull();
    const got = await claim(linux.credential);
    expect(got.body.job).toMatchObject({ id: job.id, nodeId: "routed", idempotencyKey: `${job.executionId}:routed:`, claims: 1, payload: { argv: ["echo", "hi"] } });

    const waiting = claim(mac.credential, 20_000);
    const { job: macJob } = await enqueue(workspaceId, ["mac"], "woken");
    expect((await waiting).body.job?.id).toBe(macJob.id);

    // The other workspace's runner cannot touch the job by id.
    for (const [method, path, body] of [
      ["POST", `/api/v1/runner/jobs/${job.id}/heartbeat`, undefined],
      ["POST", `/api/v1/runner/jobs/${job.id}/logs`, { seq: 0, messages: [{ kind: "stdout", text: "x" }] }],
      ["POST", `/api/v1/runner/jobs/${job.id}/result`, { status: "completed", output: {} }],
      ["GET", `/api/v1/runner/jobs/${job.id}/cancel?waitMs=0`, undefined],
    ] as const) {
      expectRestError(await rest(method, path, { headers: bearer(foreign.credential), body }), 404, "NOT_FOUND");
    }
    const [row] = await api.deps.db.select().from(runnerJobs).where(eq(runnerJobs.id, job.id));
    expect(row).toMatchObject({ status: "claimed", runnerId: linux.runner.id, nextChunk: 0 });
  });

  it("streams log chunks as node_stream events (once per chunk), then takes the result", async () => {
    const box = await registerRunner(owner, workspaceId, ["stream"], "streamer");
    const { job, execution } = await enqueue(workspaceId, ["stream"], "streamed");
    expect((await claim(box.credential)).body.job?.id).toBe(job.id);
    expect((await rest("POST", `/api/v1/runner/jobs/${job.id}/heartbeat`, { headers: bearer(box.credential) })).body).toEqual({ cancel: false });

    const chunk = { seq: 0, messages: [{ kind: "text", text: "Hel" }, { kind: "text", text: "lo" }, { kind: "tool_use", text: "Bash ls" }, { kind: "stderr", text: "warn" }] };
    expect((await rest("POST", `/api/v1/runner/jobs/${job.id}/logs`, { headers: bearer(box.credential), body: chunk })).body).toEqual({ cancel: false, accepted: true });
    expect((await rest("POST", `/api/v1/runner/jobs/${job.id}/logs`, { headers: bearer(box.credential), body: chunk })).body).toEqual({ cancel: false, accepted: false });
    const badChunk = await rest<{ error: { path: string } }>("POST", `/api/v1/runner/jobs/${job.id}/logs`, { headers: bearer(box.credential), body: { seq: 1, messages: [{ kind: "shout", text: "x" }] } });
    expectRestError(badChunk, 400, "BAD_REQUEST");
    expect(badChunk.body.error.path).toBe("messages[0].kind");

    const events = await api.deps.db.select().from(executionEvents).where(eq(executionEvents.executionId, execution.id)).orderBy(asc(executionEvents.eventIndex));
    expect(events.map((e) => e.data)).toEqual([
      { nodeId: "streamed", logs: [{ level: "info", message: "Claimed by runner streamer" }] },
      { nodeId: "streamed", delta: "Hello" },
      { nodeId: "streamed", logs: [{ level: "tool_use", message: "Bash ls" }, { level: "stderr", message: "warn" }] },
    ]);

    const done = await rest("POST", `/api/v1/runner/jobs/${job.id}/result`, { headers: bearer(box.credential), body: { status: "completed", output: { exitCode: 0, stdout: "hi\n" } } });
    expect(done.body).toEqual({ accepted: true, cancelled: false });
    const [row] = await api.deps.db.select().from(runnerJobs).where(eq(runnerJobs.id, job.id));
    expect(row).toMatchObject({ status: "completed", output: { exitCode: 0, stdout: "hi\n" }, leaseExpiresAt: null });
    // Finished: heartbeats are refused (the runner stops).
    expectRestError(await rest("POST", `/api/v1/runner/jobs/${job.id}/heartbeat`, { headers: bearer(box.credential) }), 409, "CONFLICT");
  });

  it("a runner that stops heartbeating loses the step after one lease: re-queued with the same idempotency key", async () => {
    const lost = await registerRunner(owner, workspaceId, ["lease"], "lost");
    const second = await registerRunner(owner, workspaceId, ["lease"], "second");
    const { job, execution } = await enqueue(workspaceId, ["lease"], "leased");
    api.deps.runners = { leaseMs: 300, pollMs: 50 };
    try {
      const first = await claim(lost.credential);
      expect(first.body.job?.id).toBe(job.id);
      // No heartbeat from `lost`: the second runner's long-poll claim gets the same job once the lease expired.
      const retaken = await claim(second.credential, 20_000);
      expect(retaken.body.job).toMatchObject({ id: job.id, idempotencyKey: first.body.job!.idempotencyKey, claims: 2 });
    } finally {
      api.deps.runners = undefined;
    }
    expectRestError(await rest("POST", `/api/v1/runner/jobs/${job.id}/heartbeat`, { headers: bearer(lost.credential) }), 409, "CONFLICT");
    expectRestError(await rest("POST", `/api/v1/runner/jobs/${job.id}/result`, { headers: bearer(lost.credential), body: { status: "completed", output: {} } }), 409, "CONFLICT");
    const events = await api.deps.db.select().from(executionEvents).where(eq(executionEvents.executionId, execution.id)).orderBy(asc(executionEvents.eventIndex));
    expect(JSON.stringify(events.at(-1)!.data)).toContain("re-queued (same idempotency key) and claimed by runner second");
  });

  it("cancelling the run reaches the runner's long-poll at once and its heartbeat says cancel", async () => {
    const box = await registerRunner(owner, workspaceId, ["cancel"], "canceller");
    const { job, execution } = await enqueue(workspaceId, ["cancel"], "cancelled-step");
    expect((await claim(box.credential)).body.job?.id).toBe(job.id);
    const waiting = rest<{ cancel: boolean }>("GET", `/api/v1/runner/jobs/${job.id}/cancel?waitMs=30000`, { headers: bearer(box.credential) });
    // The long-poll is armed before it reads the job; give it that read (a no-cancel answer would need 30 s).
    await expect.poll(async () => (await rest<{ cancel: boolean }>("GET", `/api/v1/runner/jobs/${job.id}/cancel?waitMs=0`, { headers: bearer(box.credential) })).body.cancel).toBe(false);
    await cancelExecution(api.deps.executions, { executionId: execution.id, by: owner.user.id });
    expect((await waiting).body).toEqual({ cancel: true });
    expect((await rest("POST", `/api/v1/runner/jobs/${job.id}/heartbeat`, { headers: bearer(box.credential) })).body).toEqual({ cancel: true });
    const late = await rest("POST", `/api/v1/runner/jobs/${job.id}/result`, { headers: bearer(box.credential), body: { status: "completed", output: {} } });
    expect(late.body).toEqual({ accepted: false, cancelled: true });
    const [row] = await api.deps.db.select().from(runnerJobs).where(eq(runnerJobs.id, job.id));
    expect(row).toMatchObject({ status: "cancelled", output: null, error: { code: "CANCELLED" } });
  });

  it("sends the values of the step's env variables with the claim only", async () => {
    await callerFor(api.deps, owner.user).variables.create({ workspaceId, name: "DEPLOY_TOKEN", value: "s3cr3t-value", secret: true });
    const box = await registerRunner(owner, workspaceId, ["env"], "env");
    const { job } = await enqueue(workspaceId, ["env"], "with-env", { argv: ["deploy"], env: ["DEPLOY_TOKEN", "MISSING"] });
    const got = await claim(box.credential);
    expect(got.body.job?.env).toEqual({ DEPLOY_TOKEN: "s3cr3t-value" });
    const [row] = await api.deps.db.select().from(runnerJobs).where(eq(runnerJobs.id, job.id));
    expect(JSON.stringify(row)).not.toContain("s3cr3t-value");
    // Secret values streamed back are masked in the events.
    await rest("POST", `/api/v1/runner/jobs/${job.id}/logs`, { headers: bearer(box.credential), body: { seq: 0, messages: [{ kind: "stdout", text: "token=s3cr3t-value" }] } });
    const events = await api.deps.db.select().from(executionEvents).where(eq(executionEvents.executionId, job.executionId));
    expect(JSON.stringify(events)).not.toContain("s3cr3t-value");
    expect(JSON.stringify(events)).toContain("token=***");
  });
});
