// weft-runner as a real child process against a real server (the REST app on 127.0.0.1 over a real
// database): register, claim, stream, finish; script argument escaping, output caps, exit codes,
// timeouts; cancel and timeout kill the whole process tree; fake claude/codex/gemini CLIs on PATH
// speak their documented JSON streams; a runner killed mid-step loses it to a second runner (same
// idempotency key); a revoked runner stops.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { asc, eq, executionEvents, flows, runnerJobs, type RunnerJob } from "@weft/db";
import { cancelExecution, createRunnerJobStore, type RunnerJobStore } from "@weft/engine";
import { callerFor, createTestApi, type TestApi } from "@weft/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = path.resolve(__dirname, "../bin/weft-runner.mjs");
const FAKE_CLI = path.resolve(__dirname, "fake-cli");

let api: TestApi;
let server: ServerType;
let url: string;
let jobs: RunnerJobStore;
let workspaceId: string;
let owner: { id: string; email: string; name: string };
let tmp: string;
const children: ChildProcess[] = [];

type Started = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

async function registrationToken(labels: string[] = []) {
  const { token } = await callerFor(api.deps, owner).runners.createRegistrationToken({ workspaceId, labels });
  return token;
}

function startRunner(token: string, labels: string[], name: string, extra: string[] = []): Started {
  const workdir = fs.mkdtempSync(path.join(tmp, `${name}-`));
  const child = spawn(process.execPath, [BIN, "--url", url, "--token", token, "--labels", labels.join(","), "--workdir", workdir, "--name", name, "--heartbeat-ms", "150", "--claim-wait-ms", "2000", ...extra], {
    env: { ...process.env, PATH: `${FAKE_CLI}${path.delimiter}${process.env.PATH ?? ""}`, FAKE_AGENT_ARGV_LOG: path.join(tmp, "argv.log"), FAKE_AGENT_PID_FILE: path.join(tmp, `${name}-agent-pids.json`) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function enqueue(blockType: "script" | "agent", runsOn: string[], payload: Record<string, unknown>, nodeId = `${blockType}-${Math.random().toString(36).slice(2, 8)}`) {
  const [flow] = await api.deps.db.insert(flows).values({ workspaceId, name: "Runner flow", nodes: [], edges: [] }).returning({ id: flows.id });
  const execution = await api.deps.executions.create({ workspaceId, flowId: flow!.id, graph: { nodes: [], edges: [] }, input: {} });
  return jobs.enqueue({ workspaceId, executionId: execution.id, nodeId, iteration: "", attempt: 1, blockType, runsOn, payload });
}

async function jobRow(id: string): Promise<RunnerJob> {
  const [row] = await api.deps.db.select().from(runnerJobs).where(eq(runnerJobs.id, id));
  return row!;
}

/** Waits for the job to finish (any end) and returns it. */
async function finished(id: string): Promise<RunnerJob> {
  await expect.poll(async () => (await jobRow(id)).status, { timeout: 20_000, interval: 50 }).toMatch(/^(completed|failed|cancelled)$/);
  return jobRow(id);
}

async function eventsOf(executionId: string) {
  return api.deps.db.select().from(executionEvents).where(eq(executionEvents.executionId, executionId)).orderBy(asc(executionEvents.eventIndex));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "weft-runner-test-"));
  api = await createTestApi();
  jobs = createRunnerJobStore({ db: api.deps.db, bus: api.deps.bus });
  const res = await api.rest.request("/api/auth/sign-up", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "runner-owner@example.com", password: "correct horse battery", name: "Owner" }),
  });
  owner = ((await res.json()) as { user: typeof owner }).user;
  workspaceId = (await callerFor(api.deps, owner).workspaces.create({ name: "Runner tests" })).id;
  await new Promise<void>((resolve) => {
    server = serve({ fetch: api.rest.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
      url = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});

afterAll(async () => {
  await Promise.all(
    children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise((r) => {
      c.once("exit", r);
      c.kill("SIGKILL");
    })),
  );
  await new Promise((r) => server?.close(r));
  await api?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("script steps", () => {
  let runner: Started;
  beforeAll(async () => {
    runner = startRunner(await registrationToken(), ["script"], "scripts");
  });

  it("registers, claims, streams output lines as node_stream events and reports exit code, stdout, stderr, duration", async () => {
    const job = await enqueue("script", ["script"], { argv: ["sh", "-c", "echo one; echo two >&2; echo three"], timeoutMs: 10_000 });
    const done = await finished(job.id);
    expect(done.status, runner.output()).toBe("completed");
    expect(done.output).toMatchObject({ exitCode: 0, stdout: "one\nthree\n", stderr: "two\n" });
    expect((done.output as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(0);
    const logs = (await eventsOf(job.executionId)).flatMap((e) => (e.data as { logs?: Array<{ level: string; message: string }> }).logs ?? []);
    expect(logs[0]).toEqual({ level: "info", message: "Claimed by runner scripts" });
    expect(logs.filter((l) => l.level !== "info")).toEqual(
      expect.arrayContaining([{ level: "stdout", message: "one" }, { level: "stderr", message: "two" }, { level: "stdout", message: "three" }]),
    );
  });

  it("passes every argument as it is: `; rm -rf /` and $(...) arrive as literal arguments", async () => {
    const marker = path.join(tmp, "must-not-exist");
    const hostile = [`; rm -rf / ; touch ${marker}`, "$(touch " + marker + ")", "`touch " + marker + "`", "a b  c", "'\"", "*"];
    const job = await enqueue("script", ["script"], { argv: [process.execPath, "-e", "console.log(JSON.stringify(process.argv.slice(1)))", ...hostile], timeoutMs: 10_000 });
    const done = await finished(job.id);
    expect(done.status).toBe("completed");
    expect(JSON.parse((done.output as { stdout: string }).stdout)).toEqual(hostile);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("caps stdout and stderr, counting what it dropped", async () => {
    const job = await enqueue("script", ["script"], { argv: [process.execPath, "-e", "process.stdout.write('x'.repeat(200000)); process.stderr.write('y'.repeat(70000))"], timeoutMs: 10_000 });
    const done = await finished(job.id);
    const output = done.output as { stdout: string; stderr: string; stdoutTruncatedBytes: number; stderrTruncatedBytes: number };
    expect(output.stdout.length).toBe(64 * 1024);
    expect(output.stdoutTruncatedBytes).toBe(200_000 - 64 * 1024);
    expect(output.stderrTruncatedBytes).toBe(70_000 - 64 * 1024);
  });

  it("fails a non-zero exit with SCRIPT_EXIT and a command that cannot start with SCRIPT_START", async () => {
    const exit = await finished((await enqueue("script", ["script"], { argv: ["sh", "-c", "echo broken >&2; exit 3"], timeoutMs: 10_000 })).id);
    expect(exit).toMatchObject({ status: "failed", error: { code: "SCRIPT_EXIT", message: "The script exited with code 3: broken" }, output: { exitCode: 3 } });
    const missing = await finished((await enqueue("script", ["script"], { argv: ["definitely-not-a-program-here"], timeoutMs: 10_000 })).id);
    expect(missing).toMatchObject({ status: "failed", error: { code: "SCRIPT_START" } });
    const escape = await finished((await enqueue("script", ["script"], { argv: ["pwd"], cwd: "../..", timeoutMs: 10_000 })).id);
    expect(escape).toMatchObject({ status: "failed", error: { code: "RUNNER_CWD" } });
  });

  it("cancelling the run kills the whole process tree", async () => {
    const pidFile = path.join(tmp, "tree.pids");
    const job = await enqueue("script", ["script"], { argv: ["sh", "-c", `sleep 300 & echo "$$ $!" > ${pidFile}; wait`], timeoutMs: 600_000 });
    await expect.poll(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim().split(" ").length === 2, { timeout: 20_000, interval: 50 }).toBe(true);
    const pids = fs.readFileSync(pidFile, "utf8").trim().split(" ").map(Number);
    expect(pids.every(alive)).toBe(true);
    await cancelExecution(api.deps.executions, { executionId: job.executionId, by: owner.id });
    await expect.poll(() => pids.filter(alive), { timeout: 10_000, interval: 50 }).toEqual([]);
    expect((await jobRow(job.id)).status).toBe("cancelled");
    await expect.poll(() => runner.output(), { timeout: 10_000 }).toContain(`step ${job.nodeId}: stopped (cancel)`);
  });

  it("a step over its timeout is killed with its children and fails with NODE_TIMEOUT", async () => {
    const pidFile = path.join(tmp, "timeout.pids");
    const job = await enqueue("script", ["script"], { argv: ["sh", "-c", `sleep 300 & echo "$$ $!" > ${pidFile}; wait`], timeoutMs: 1_000 });
    const done = await finished(job.id);
    expect(done).toMatchObject({ status: "failed", error: { code: "NODE_TIMEOUT", retryable: true } });
    const pids = fs.readFileSync(pidFile, "utf8").trim().split(" ").map(Number);
    await expect.poll(() => pids.filter(alive), { timeout: 10_000, interval: 50 }).toEqual([]);
  });
});

describe("agent steps with fake claude, codex and gemini CLIs", () => {
  beforeAll(async () => {
    startRunner(await registrationToken(["agents"]), [], "agents");
  });

  const argvLog = () =>
    fs
      .readFileSync(path.join(tmp, "argv.log"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { agent: string; args: string[] });

  it("claude: -p stream-json --verbose with its own permission mode; text, tool use, result, cost and usage", async () => {
    const job = await enqueue("agent", ["agents"], { agent: "claude", prompt: "list the files; rm -rf /", permission: "acceptEdits", model: "claude-sonnet-4-5", timeoutMs: 20_000 });
    const done = await finished(job.id);
    expect(done.status, JSON.stringify(done.error)).toBe("completed");
    expect(done.output).toMatchObject({
      text: "Looking at: list the files; rm -rf /. Two entries.",
      sessionId: "claude-session-1",
      costUsd: 0.0123,
      usage: { inputTokens: 120, outputTokens: 16 },
      exitCode: 0,
    });
    expect((done.output as { transcript: string }).transcript.trim().split("\n")).toHaveLength(5);
    expect(argvLog().find((l) => l.agent === "claude")!.args).toEqual([
      "-p", "list the files; rm -rf /", "--output-format", "stream-json", "--verbose", "--permission-mode", "acceptEdits", "--model", "claude-sonnet-4-5",
    ]);
    const events = (await eventsOf(job.executionId)).map((e) => e.data as { delta?: string; logs?: Array<{ level: string; message: string }> });
    expect(events.map((e) => e.delta ?? "").join("")).toBe("Looking at: list the files; rm -rf /. Two entries.");
    const logs = events.flatMap((e) => e.logs ?? []);
    expect(logs).toEqual(expect.arrayContaining([{ level: "tool_use", message: 'Bash {"command":"ls"}' }, { level: "tool_result", message: "README.md\nsrc" }]));
    expect(logs.some((l) => l.level === "usage" && l.message.includes('"costUsd":0.0123'))).toBe(true);
  });

  it("codex: exec --json with the sandbox for the permission mode; the agent message, command runs and usage", async () => {
    const job = await enqueue("agent", ["agents"], { agent: "codex", prompt: "list the files", permission: "plan", timeoutMs: 20_000 });
    const done = await finished(job.id);
    expect(done.output).toMatchObject({ text: "Two entries.", sessionId: "codex-thread-1", costUsd: null, usage: { inputTokens: 200, outputTokens: 30, cachedInputTokens: 50 }, exitCode: 0 });
    expect(argvLog().find((l) => l.agent === "codex")!.args).toEqual(["exec", "--json", "--skip-git-repo-check", "--sandbox", "read-only", "--", "list the files"]);
    const logs = (await eventsOf(job.executionId)).flatMap((e) => (e.data as { logs?: Array<{ level: string; message: string }> }).logs ?? []);
    expect(logs).toEqual(expect.arrayContaining([{ level: "tool_use", message: "shell bash -lc ls" }, { level: "tool_result", message: "exit 0: README.md\nsrc\n" }]));
  });

  it("gemini: -p stream-json with --approval-mode; deltas, tool use and stats", async () => {
    const job = await enqueue("agent", ["agents"], { agent: "gemini", prompt: "list the files", permission: "bypassPermissions", model: "gemini-2.5-pro", timeoutMs: 20_000 });
    const done = await finished(job.id);
    expect(done.output).toMatchObject({ text: "Two entries.", sessionId: "gemini-session-1", usage: { inputTokens: 140, outputTokens: 20 }, exitCode: 0 });
    expect(argvLog().find((l) => l.agent === "gemini")!.args).toEqual(["-p", "list the files", "--output-format", "stream-json", "--approval-mode", "yolo", "--model", "gemini-2.5-pro"]);
  });

  it("each CLI's error case fails the step with AGENT_FAILED and its message", async () => {
    for (const [agent, message] of [
      ["claude", "claude reported an error: error_max_turns"],
      ["codex", "codex reported an error: stream disconnected before completion"],
      ["gemini", "gemini reported an error: quota exceeded"],
    ] as const) {
      const done = await finished((await enqueue("agent", ["agents"], { agent, prompt: "FAIL please", permission: "default", timeoutMs: 20_000 })).id);
      expect(done, agent).toMatchObject({ status: "failed", error: { code: "AGENT_FAILED", message } });
      expect((done.output as { exitCode: number }).exitCode).toBe(1);
    }
  });

  it("a slow agent is killed with its children when the run is cancelled", async () => {
    const pidFile = path.join(tmp, "agents-agent-pids.json");
    const job = await enqueue("agent", ["agents"], { agent: "claude", prompt: "SLOW work", permission: "default", timeoutMs: 600_000 });
    await expect.poll(() => fs.existsSync(pidFile), { timeout: 20_000, interval: 50 }).toBe(true);
    const pids = JSON.parse(fs.readFileSync(pidFile, "utf8")) as number[];
    // Its first streamed message arrived before the cancel.
    await expect.poll(async () => (await eventsOf(job.executionId)).some((e) => (e.data as { delta?: string }).delta?.includes("SLOW work")), { timeout: 10_000 }).toBe(true);
    await cancelExecution(api.deps.executions, { executionId: job.executionId, by: owner.id });
    await expect.poll(() => pids.filter(alive), { timeout: 10_000, interval: 50 }).toEqual([]);
    fs.rmSync(pidFile);
  });
});

describe("lost and revoked runners", () => {
  it("a runner killed mid-step loses it after one lease; a second runner finishes it with the same idempotency key", async () => {
    api.deps.runners = { leaseMs: 1_000, pollMs: 100 };
    try {
      const token = await registrationToken(["crash"]);
      const first = startRunner(token, [], "first");
      const pidFile = path.join(tmp, "crash.pid");
      const job = await enqueue("script", ["crash"], { argv: ["sh", "-c", `if [ -e ${pidFile} ]; then echo second run; else echo $$ > ${pidFile}; sleep 300; fi`], timeoutMs: 600_000 });
      await expect.poll(() => fs.existsSync(pidFile), { timeout: 20_000, interval: 50 }).toBe(true);
      const claimed = await jobRow(job.id);
      first.child.kill("SIGKILL");
      await first.exited;
      const orphan = Number(fs.readFileSync(pidFile, "utf8"));
      startRunner(await registrationToken(["crash"]), [], "second");
      const done = await finished(job.id);
      expect(done).toMatchObject({ status: "completed", claims: 2, idempotencyKey: claimed.idempotencyKey, output: { stdout: "second run\n" } });
      expect(done.runnerId).not.toBe(claimed.runnerId);
      const logs = (await eventsOf(job.executionId)).flatMap((e) => (e.data as { logs?: Array<{ message: string }> }).logs ?? []);
      expect(logs.map((l) => l.message)).toContain("The runner that had this step stopped heartbeating; re-queued (same idempotency key) and claimed by runner second");
      if (alive(orphan)) process.kill(-orphan, "SIGKILL");
    } finally {
      api.deps.runners = undefined;
    }
  });

  it("a revoked runner is refused (401) and exits", async () => {
    const token = await registrationToken(["revoked"]);
    const runner = startRunner(token, [], "revoked");
    await expect.poll(() => runner.output(), { timeout: 20_000 }).toContain("connected to");
    const list = await callerFor(api.deps, owner).runners.list({ workspaceId });
    const mine = list.find((r) => r.name === "revoked")!;
    expect(mine).toMatchObject({ online: true, labels: ["revoked"], version: "0.1.0" });
    await callerFor(api.deps, owner).runners.revoke({ workspaceId, runnerId: mine.id });
    expect(await runner.exited).toBe(3);
    expect(runner.output()).toContain("Invalid or revoked runner credential");
  });
});
