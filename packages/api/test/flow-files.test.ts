import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, flows } from "@weft/db";
import { createTestEngine } from "@weft/engine/testing";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { restClient, signUpUser, type SignedUpUser } from "./support";
import stageExample from "../../flow/test/fixtures/stage-workflow.yml?raw";
import stepExample from "../../flow/test/fixtures/step-workflow.yaml?raw";

/** Flows as files over REST: export, import (create and update), errors with their place, tenancy. */

type FlowBody = { flow: { id: string; version: number; name: string; nodes: unknown[]; edges: unknown[] }; kind: string };
type Problem = { kind: string; message: string; path?: string; line?: number; column?: number; nodeId?: string; field?: string };
type ProblemBody = { error: { code: string; message: string; path?: string; problems: Problem[] } };

let api: TestApi;
let t: Awaited<ReturnType<typeof createTestEngine>>;
let rest: ReturnType<typeof restClient>;
let ownerA: SignedUpUser;
let viewerA: SignedUpUser;
let ownerB: SignedUpUser;
let wsA: string;
let wsB: string;
let keyA: string;
let keyB: string;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Sends a file as `type` (the REST client would JSON-encode a body, so this sends raw text). */
async function send<T>(path: string, text: string, headers: Record<string, string>, type = "application/yaml") {
  const res = await api.rest.request(path, { method: "POST", headers: { "content-type": type, ...headers }, body: text });
  const raw = await res.text();
  return { status: res.status, text: raw, body: (raw.startsWith("{") ? JSON.parse(raw) : raw) as T };
}

const file = `format: weft/v1
name: Double it
description: Doubles n
inputSchema:
  type: object
  required: [n]
  properties:
    n: { type: integer }
phases: [work]
nodes:
  - id: start
    type: source
  - id: double
    type: function
    label: Double
    phase: work
    config:
      code: "return { n: input.n * 2 };"
    retry: { maxAttempts: 2 }
    onFailure: stop
  - id: end
    type: sink
edges:
  - { source: start, target: double }
  - { source: double, target: end }
`;

async function flowCount(workspaceId: string) {
  const [row] = await api.deps.db.select({ n: count() }).from(flows).where(eq(flows.workspaceId, workspaceId));
  return row!.n;
}

beforeAll(async () => {
  api = await createTestApi();
  t = await createTestEngine(api.database);
  await t.engine.start();
  rest = restClient(api);
  [ownerA, viewerA, ownerB] = [await signUpUser(api, "FileOwnerA"), await signUpUser(api, "FileViewerA"), await signUpUser(api, "FileOwnerB")];
  wsA = (await callerFor(api.deps, ownerA.user).workspaces.create({ name: "Files A" })).id;
  wsB = (await callerFor(api.deps, ownerB.user).workspaces.create({ name: "Files B" })).id;
  await callerFor(api.deps, ownerA.user).members.invite({ workspaceId: wsA, email: viewerA.user.email, role: "viewer" });
  keyA = (await rest<{ key: string }>("POST", `/api/v1/workspaces/${wsA}/api-keys`, { headers: { cookie: ownerA.cookie }, body: { name: "a", role: "member" } })).body.key;
  keyB = (await rest<{ key: string }>("POST", `/api/v1/workspaces/${wsB}/api-keys`, { headers: { cookie: ownerB.cookie }, body: { name: "b", role: "admin" } })).body.key;
});
afterAll(async () => {
  await t?.engine.stop();
  await api?.close();
});

describe("import and export", () => {
  it("imports a YAML file (201 with its id), runs it, and exports it back byte-identical after a second round", async () => {
    const created = await send<FlowBody>("/api/v1/flows/import", file, bearer(keyA));
    expect(created.status, created.text).toBe(201);
    expect(created.body.kind).toBe("weft/v1");
    const { id } = created.body.flow;

    const run = await rest<{ executionId: string }>("POST", `/api/v1/flows/${id}/execute`, { headers: bearer(keyA), body: { input: { n: 4 } } });
    expect(run.status, run.text).toBe(202);
    const done = await t.waitFor(run.body.executionId, ["completed", "failed"]);
    expect(done.execution).toMatchObject({ status: "completed", output: { n: 8 } });

    const yaml = await rest<string>("GET", `/api/v1/flows/${id}/export?format=yaml`, { headers: bearer(keyA) });
    expect(yaml.status).toBe(200);
    expect(yaml.text).toMatch(/^format: weft\/v1\nid: /);
    expect(yaml.text).toContain("name: Double it\n");
    const again = await send<FlowBody>("/api/v1/flows/import", yaml.text, bearer(keyA));
    expect(again.status, again.text).toBe(201);
    expect(again.body.flow.nodes).toEqual(created.body.flow.nodes);
    const second = await rest<string>("GET", `/api/v1/flows/${again.body.flow.id}/export?format=yaml`, { headers: bearer(keyA) });
    // Only the id line differs between the two flows.
    expect(second.text.replace(/^id: .*$/m, "")).toBe(yaml.text.replace(/^id: .*$/m, ""));

    const json = await rest<{ format: string; nodes: unknown[] }>("GET", `/api/v1/flows/${id}/export?format=json`, { headers: bearer(keyA) });
    expect(json.body.format).toBe("weft/v1");
    const viaJson = await send<FlowBody>("/api/v1/flows/import", json.text, bearer(keyA), "application/json");
    expect(viaJson.status, viaJson.text).toBe(201);
    expect(viaJson.body.flow.edges).toEqual(created.body.flow.edges);
  });

  it("updates a flow with ?flowId and version; a stale version is 409 and writes nothing", async () => {
    const created = await send<FlowBody>("/api/v1/flows/import", file, bearer(keyA));
    const { id, version } = created.body.flow;
    const renamed = file.replace("name: Double it", "name: Double it again");
    const updated = await send<FlowBody>(`/api/v1/flows/import?flowId=${id}&version=${version}`, renamed, bearer(keyA));
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.flow).toMatchObject({ id, name: "Double it again", version: version + 1 });
    const stale = await send<ProblemBody>(`/api/v1/flows/import?flowId=${id}&version=${version}`, file, bearer(keyA));
    expect(stale.status).toBe(409);
    const noVersion = await send<ProblemBody>(`/api/v1/flows/import?flowId=${id}`, file, bearer(keyA));
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.path).toBe("version");
    const got = await rest<FlowBody>("GET", `/api/v1/flows/${id}`, { headers: bearer(keyA) });
    expect(got.body.flow.name).toBe("Double it again");
  });

  it("answers 400 with line and column, path, or node id and field, and creates nothing", async () => {
    const before = await flowCount(wsA);
    const syntax = await send<ProblemBody>("/api/v1/flows/import", file.replace("  - id: end\n", "  - id: [end\n"), bearer(keyA));
    expect(syntax.status).toBe(400);
    expect(syntax.body.error.problems[0]).toMatchObject({ kind: "syntax", line: expect.any(Number), column: expect.any(Number) });

    const schema = await send<ProblemBody>("/api/v1/flows/import", file.replace("onFailure: stop", "onFailure: explode"), bearer(keyA));
    expect(schema.status).toBe(400);
    expect(schema.body.error.problems[0]).toMatchObject({ kind: "schema", path: "nodes[1].onFailure", line: 20 });

    const graph = await send<ProblemBody>("/api/v1/flows/import", file.replace('code: "return { n: input.n * 2 };"', 'code: ""'), bearer(keyA));
    expect(graph.status).toBe(400);
    expect(graph.body.error.problems[0]).toMatchObject({ kind: "graph", nodeId: "double", field: "config.code" });
    expect(graph.body.error.path).toBe("nodes.double.config.code");

    const variable = await send<ProblemBody>("/api/v1/flows/import", file.replace("  - id: end\n    type: sink\n", '  - id: end\n    type: sink\n    config: { value: "{{ env.MISSING_TOKEN }}" }\n'), bearer(keyA));
    expect(variable.status).toBe(400);
    expect(variable.body.error.problems[0]).toMatchObject({ nodeId: "end", field: "config.value", message: expect.stringContaining("MISSING_TOKEN") });

    const wrongType = await send<ProblemBody>("/api/v1/flows/import", file, bearer(keyA), "text/plain");
    expect(wrongType.status).toBe(415);
    expect(await flowCount(wsA)).toBe(before);
  });

  it("imports the inherited examples or names each runner step and its type (400)", async () => {
    for (const example of [stepExample, stageExample]) {
      const answer = await send<ProblemBody>("/api/v1/flows/import", example, bearer(keyA));
      expect(answer.status, answer.text).toBe(400);
      const unsupported = answer.body.error.problems.filter((p) => p.kind === "unsupported");
      expect(unsupported.length).toBeGreaterThan(0);
      for (const p of unsupported) expect(p.message).toMatch(/has type "(agent|script)", which runs on a self-hosted runner/);
    }
  });

  it("serves the JSON Schema of the format", async () => {
    const schema = await rest<{ $id: string; properties: Record<string, unknown> }>("GET", "/api/v1/schemas/flow-v1.json", { headers: bearer(keyA) });
    expect(schema.status).toBe(200);
    expect(schema.body.$id).toBe("/api/v1/schemas/flow-v1.json");
    expect(Object.keys(schema.body.properties)).toEqual(expect.arrayContaining(["format", "name", "nodes", "edges", "phases", "triggers", "inputSchema"]));
  });
});

describe("roles and tenancy", () => {
  it("a viewer exports but cannot import", async () => {
    const created = await send<FlowBody>("/api/v1/flows/import", file, bearer(keyA));
    const exported = await rest("GET", `/api/v1/flows/${created.body.flow.id}/export`, { headers: { cookie: viewerA.cookie, "x-weft-workspace": wsA } });
    expect(exported.status).toBe(200);
    const refused = await send("/api/v1/flows/import", file, { cookie: viewerA.cookie, "x-weft-workspace": wsA });
    expect(refused.status).toBe(403);
  });

  it("another workspace's flow answers 404 to export and to import over it, and is not changed", async () => {
    const created = await send<FlowBody>("/api/v1/flows/import", file, bearer(keyA));
    const { id, version } = created.body.flow;
    const exported = await rest("GET", `/api/v1/flows/${id}/export`, { headers: bearer(keyB) });
    expect(exported.status).toBe(404);
    expect(exported.text).not.toContain("Double");
    const overwrite = await send(`/api/v1/flows/import?flowId=${id}&version=${version}`, file.replace("Double it", "Hijacked"), bearer(keyB));
    expect(overwrite.status).toBe(404);
    const [row] = await api.deps.db.select({ name: flows.name, version: flows.version }).from(flows).where(eq(flows.id, id));
    expect(row).toEqual({ name: "Double it", version });
  });
});
