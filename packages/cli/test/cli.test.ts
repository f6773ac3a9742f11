// The weft CLI as a real child process: validate, run locally (golden transcript of the progress
// output, exit codes), and push/pull/ls/execute --follow/logs -f against a real server started here,
// through a proxy that cuts the first event stream so the CLI must reconnect with Last-Event-ID.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalAuthenticator } from "@weft/api/auth";
import { createRestApp } from "@weft/api/rest";
import { callerFor, createTestApi, type TestApi } from "@weft/api/testing";
import { createTestEngine } from "@weft/engine/testing";
import { startFakeOpenAI, type FakeOpenAI } from "../../engine/test/fake-openai";

const BIN = path.resolve(__dirname, "../bin/weft.mjs");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-cli-test-"));

type Result = { code: number | null; stdout: string; stderr: string };
function weft(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

const doubler = `format: weft/v1
name: Double it
inputSchema:
  type: object
  required: [n]
  properties:
    n: { type: integer }
nodes:
  - id: start
    type: source
  - id: double
    type: function
    label: Double
    config:
      code: "console.log('doubling ' + input.n); return { n: input.n * 2 };"
  - id: end
    type: sink
edges:
  - { source: start, target: double }
  - { source: double, target: end }
`;

// Each case starts node processes (tsx, an embedded database): generous limits for busy machines.
const SLOW = { timeout: 300_000 };

describe("validate", SLOW, () => {
  it("exit 0 for a valid file, 2 with file:line:column for an invalid one; --json", async () => {
    const ok = await weft(["validate", write("ok.yaml", doubler)]);
    expect(ok).toMatchObject({ code: 0, stdout: `ok.yaml: valid weft/v1 flow "Double it" (3 blocks)\n`.replace("ok.yaml", path.join(dir, "ok.yaml")) });
    const bad = await weft(["validate", write("bad.yaml", doubler.replace("type: function", "type: functoin"))]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${path.join(dir, "bad.yaml")}:12:11: node "double" type:`);
    const asJson = await weft(["validate", "--json", path.join(dir, "bad.yaml")]);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ ok: false, problems: [{ kind: "graph", nodeId: "double", field: "type" }] });
    const usage = await weft(["validate"]);
    expect(usage.code).toBe(2);
  });
});

describe("run (local)", SLOW, () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it("prints a line per node, the streamed tokens and the output (golden transcript), exit 0", async () => {
    fake.script([{ text: "Forty-two is the answer.", chunks: 5, delayMs: 5 }]);
    const file = write(
      "ai.yaml",
      doubler
        .replace("  - id: end\n", `  - id: explain\n    type: ai\n    label: Explain\n    config:\n      connectionId: 00000000-0000-0000-0000-000000000000\n      model: fake-model\n      prompt: "Explain {{ input.n }} in {{ env.LANGUAGE }}"\n  - id: end\n`)
        .replace("  - { source: double, target: end }\n", "  - { source: double, target: explain }\n  - { source: explain, target: end }\n"),
    );
    const run = await weft(["run", file, "--input", '{"n":21}'], { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "sk-fake", LANGUAGE: "French" });
    expect(run.stderr).toBe("");
    expect(run.code, run.stdout).toBe(0);
    // The output of an AI block carries usage figures; the transcript's last part is checked apart.
    const [transcript, output] = [run.stdout.slice(0, run.stdout.indexOf("● completed")), run.stdout.slice(run.stdout.indexOf("● completed"))];
    expect(transcript).toBe(
      [
        "● run started",
        "▶ start (source)",
        "✓ start",
        "▶ Double (function)",
        "  Double log: doubling 21",
        "✓ Double",
        "▶ Explain (ai)",
        "  Explain › Forty-two is the answer.",
        "✓ Explain",
        "▶ end (sink)",
        "✓ end",
        "",
      ].join("\n"),
    );
    expect(output).toMatch(/^● completed\n/);
    expect(output).toContain("Forty-two is the answer.");
    expect(fake.requests[0]!.body.messages.at(-1).content).toBe("Explain 42 in French");
  });

  it("exit 1 when the run fails, 2 for bad input or a missing variable; --json", async () => {
    const failing = await weft(["run", write("fail.yaml", doubler.replace("return { n: input.n * 2 };", "throw new Error('nope');")), "--input", '{"n":1}']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain("✗ Double: ");
    expect(failing.stdout).toContain("● failed");
    const badInput = await weft(["run", path.join(dir, "ok.yaml"), "--input", '{"n":"x"}']);
    expect(badInput.code).toBe(2);
    expect(badInput.stderr).toContain("--input:");
    const missingVar = await weft(["run", path.join(dir, "ai.yaml"), "--input", '{"n":1}']);
    expect(missingVar.code).toBe(2);
    expect(missingVar.stderr).toContain('LANGUAGE (node "explain" config.prompt)');
    const asJson = await weft(["run", "--json", path.join(dir, "ok.yaml"), "--input", '{"n":5}']);
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ status: "completed", output: { n: 10 } });
  });
});

describe("against a server", SLOW, () => {
  let api: TestApi;
  let t: Awaited<ReturnType<typeof createTestEngine>>;
  let server: ServerType;
  let proxy: http.Server;
  let env: Record<string, string>;
  const streamRequests: (string | undefined)[] = [];

  beforeAll(async () => {
    api = await createTestApi();
    t = await createTestEngine(api.database);
    await t.engine.start();
    const app = createRestApp({ deps: api.deps, authenticator: createLocalAuthenticator(api.deps) });
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => resolve(info.port));
    });
    // A proxy that cuts the first event stream after its first event: the CLI must reconnect.
    proxy = http.createServer((req, res) => {
      const isStream = /\/stream$/.test(req.url ?? "");
      if (isStream) streamRequests.push(req.headers["last-event-id"] as string | undefined);
      const cut = isStream && streamRequests.length === 1;
      const upstream = http.request({ host: "127.0.0.1", port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        let seen = "";
        up.on("data", (chunk: Buffer) => {
          if (!cut) {
            res.write(chunk);
            return;
          }
          // Pass on exactly the first event (up to its blank line), then close the connection the way
          // a proxy's timeout does. (A reset right after the write can drop the event in the client's
          // socket buffer; the CLI would then rightly reconnect from the start.)
          seen += chunk.toString();
          const start = seen.search(/(^|\n)id: /);
          const end = start < 0 ? -1 : seen.indexOf("\n\n", start + 1);
          if (end < 0) return;
          res.end(seen.slice(0, end + 2));
          up.destroy();
        });
        up.on("end", () => res.end());
      });
      req.pipe(upstream);
    });
    const proxyPort = await new Promise<number>((resolve) => proxy.listen(0, "127.0.0.1", () => resolve((proxy.address() as AddressInfo).port)));
    const signUp = await api.rest.request("/api/auth/sign-up", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "cli@example.com", password: "correct horse battery", name: "Cli" }),
    });
    const { user } = (await signUp.json()) as { user: { id: string; email: string; name: string } };
    const workspace = await callerFor(api.deps, user).workspaces.create({ name: "CLI" });
    const key = await callerFor(api.deps, user).apiKeys.create({ workspaceId: workspace.id, name: "cli", role: "member" });
    env = { WEFT_URL: `http://127.0.0.1:${proxyPort}`, WEFT_API_KEY: (key as { key: string }).key };
  }, 300_000);
  afterAll(async () => {
    await new Promise((r) => proxy?.close(r));
    await new Promise((r) => server?.close(r));
    await t?.engine.stop();
    await api?.close();
  });

  it("push creates then updates (matched by id), ls lists, pull writes the file, execute --follow and logs -f follow the run", async () => {
    const pushed = await weft(["push", "--json", write("ok.yaml", doubler)], env);
    expect(pushed.stderr).toBe("");
    const { flowId, created } = JSON.parse(pushed.stdout) as { flowId: string; created: boolean };
    expect(created).toBe(true);

    const pulled = await weft(["pull", flowId, "-o", "pulled.yaml"], env);
    expect(pulled.code).toBe(0);
    const pulledText = fs.readFileSync(path.join(dir, "pulled.yaml"), "utf8");
    expect(pulledText).toContain(`id: ${flowId}\n`);
    const again = await weft(["push", "--json", path.join(dir, "pulled.yaml")], env);
    expect(JSON.parse(again.stdout)).toEqual({ flowId, version: 2, created: false });

    const ls = await weft(["ls", "--json"], env);
    expect(JSON.parse(ls.stdout)).toEqual([expect.objectContaining({ id: flowId, name: "Double it", version: 2 })]);

    const run = await weft(["execute", flowId, "--input", '{"n":4}', "--follow", "--json"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as { index?: number; event?: { type: string }; status?: string; output?: unknown; executionId?: string });
    const events = lines.filter((l) => l.event);
    // Every event exactly once, in order, across the cut connection.
    expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
    expect(events.at(-1)!.event!.type).toBe("execution_complete");
    expect(lines.at(-1)).toMatchObject({ status: "completed", output: { n: 8 } });
    expect(streamRequests).toEqual([undefined, "0"]);

    const logs = await weft(["logs", "-f", lines.at(-1)!.executionId!], env);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain("✓ double");
    expect(logs.stdout).toContain('● completed\n{\n  "n": 8\n}\n');

    const failed = await weft(["execute", flowId, "--input", '{"n":"x"}'], env);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain("400");

    const exported = await weft(["export", "-d", "out", "--json"], env);
    expect(JSON.parse(exported.stdout)).toEqual([{ flowId, file: path.join("out", "double-it.weft.yaml") }]);
    expect(fs.readFileSync(path.join(dir, "out", "double-it.weft.yaml"), "utf8")).toBe(pulledText.replace("version", "version"));
  });

  it("says what is missing without a server or key (exit 2)", async () => {
    const noUrl = await weft(["ls"]);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain("WEFT_URL");
  });
});
