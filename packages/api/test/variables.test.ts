import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockExecutions, eq, executionEvents, flowExecutions, flows, variables } from "@weft/db";
import { createTestEngine, edge, node } from "@weft/engine/testing";
import { loadRunVariables } from "../src/services/variables/load-run-variables";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { restClient, signUpUser, type ErrorBody, type SignedUpUser } from "./support";

/** Workspace variables: CRUD, roles, tenancy, `{{ env.NAME }}` at run time and secrets masked everywhere. */

type VariableBody = { variable: { name: string; secret: boolean; value: string | null } };

let api: TestApi;
let t: Awaited<ReturnType<typeof createTestEngine>>;
let rest: ReturnType<typeof restClient>;
let ownerA: SignedUpUser;
let memberA: SignedUpUser;
let ownerB: SignedUpUser;
let wsA: string;
let wsB: string;
let adminKeyA: string;
let memberKeyA: string;
let adminKeyB: string;
let echo: Server;
let echoUrl: string;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const SECRET = "sk-live-7Qm2-very-secret-value";

beforeAll(async () => {
  api = await createTestApi();
  t = await createTestEngine(api.database, { getVariables: ({ workspaceId }) => loadRunVariables(api.deps, { workspaceId }) });
  await t.engine.start();
  rest = restClient(api);
  [ownerA, memberA, ownerB] = [await signUpUser(api, "VarOwnerA"), await signUpUser(api, "VarMemberA"), await signUpUser(api, "VarOwnerB")];
  wsA = (await callerFor(api.deps, ownerA.user).workspaces.create({ name: "Vars A" })).id;
  wsB = (await callerFor(api.deps, ownerB.user).workspaces.create({ name: "Vars B" })).id;
  await callerFor(api.deps, ownerA.user).members.invite({ workspaceId: wsA, email: memberA.user.email, role: "member" });
  const key = async (ws: string, who: SignedUpUser, role: string) =>
    (await rest<{ key: string }>("POST", `/api/v1/workspaces/${ws}/api-keys`, { headers: { cookie: who.cookie }, body: { name: role, role } })).body.key;
  adminKeyA = await key(wsA, ownerA, "admin");
  memberKeyA = await key(wsA, ownerA, "member");
  adminKeyB = await key(wsB, ownerB, "admin");
  // An HTTP service that echoes the request's Authorization header back in its body.
  echo = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ auth: req.headers.authorization ?? null }));
  });
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/echo`;
});
afterAll(async () => {
  await t?.engine.stop();
  await new Promise((r) => echo?.close(r));
  await api?.close();
});

describe("CRUD", () => {
  it("creates, lists, updates and deletes; a secret's value is never returned and is encrypted at rest", async () => {
    const plain = await rest<VariableBody>("POST", "/api/v1/variables", { headers: bearer(adminKeyA), body: { name: "REGION", value: "eu-west-1" } });
    expect(plain.status, plain.text).toBe(201);
    expect(plain.body.variable).toMatchObject({ name: "REGION", secret: false, value: "eu-west-1" });
    const secret = await rest<VariableBody>("POST", "/api/v1/variables", { headers: bearer(adminKeyA), body: { name: "CRUD_TOKEN", value: "tok-123456", secret: true } });
    expect(secret.status).toBe(201);
    expect(secret.body.variable).toMatchObject({ name: "CRUD_TOKEN", secret: true, value: null });
    expect(secret.text).not.toContain("tok-123456");
    const [row] = await api.deps.db.select().from(variables).where(eq(variables.name, "CRUD_TOKEN"));
    expect(row!.value).toBeNull();
    expect(row!.valueCiphertext).toMatch(/^v1\./);
    expect(row!.valueCiphertext).not.toContain("tok-123456");

    const dup = await rest<ErrorBody>("POST", "/api/v1/variables", { headers: bearer(adminKeyA), body: { name: "REGION", value: "x" } });
    expect(dup.status).toBe(409);
    const bad = await rest<ErrorBody>("POST", "/api/v1/variables", { headers: bearer(adminKeyA), body: { name: "9bad name", value: "x" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe("name");

    const list = await rest<{ items: { name: string; value: string | null }[] }>("GET", "/api/v1/variables", { headers: bearer(memberKeyA) });
    expect(list.body.items.map((v) => [v.name, v.value])).toEqual([["CRUD_TOKEN", null], ["REGION", "eu-west-1"]]);
    expect(list.text).not.toContain("tok-123456");

    const put = await rest<VariableBody>("PUT", "/api/v1/variables/REGION", { headers: bearer(adminKeyA), body: { value: "us-east-1" } });
    expect(put.body.variable.value).toBe("us-east-1");
    const hide = await rest<VariableBody>("PUT", "/api/v1/variables/REGION", { headers: bearer(adminKeyA), body: { secret: true } });
    expect(hide.body.variable).toMatchObject({ secret: true, value: null });
    expect((await loadRunVariables(api.deps, { workspaceId: wsA })).env.REGION).toBe("us-east-1");
    const del = await rest("DELETE", "/api/v1/variables/REGION", { headers: bearer(adminKeyA) });
    expect(del.status).toBe(200);
    expect((await rest("DELETE", "/api/v1/variables/REGION", { headers: bearer(adminKeyA) })).status).toBe(404);
  });

  it("members read but cannot write", async () => {
    const refused = await rest("POST", "/api/v1/variables", { headers: bearer(memberKeyA), body: { name: "NOPE", value: "x" } });
    expect(refused.status).toBe(403);
    expect((await rest("PUT", "/api/v1/variables/CRUD_TOKEN", { headers: bearer(memberKeyA), body: { value: "x" } })).status).toBe(403);
    expect((await rest("DELETE", "/api/v1/variables/CRUD_TOKEN", { headers: bearer(memberKeyA) })).status).toBe(403);
  });

  it("another workspace neither sees nor changes them (404), and its own variable of the same name is separate", async () => {
    const listB = await rest<{ items: unknown[] }>("GET", "/api/v1/variables", { headers: bearer(adminKeyB) });
    expect(listB.body.items).toEqual([]);
    expect((await rest("PUT", "/api/v1/variables/CRUD_TOKEN", { headers: bearer(adminKeyB), body: { value: "stolen" } })).status).toBe(404);
    expect((await rest("DELETE", "/api/v1/variables/CRUD_TOKEN", { headers: bearer(adminKeyB) })).status).toBe(404);
    expect((await rest("POST", "/api/v1/variables", { headers: bearer(adminKeyB), body: { name: "CRUD_TOKEN", value: "b-value" } })).status).toBe(201);
    expect((await loadRunVariables(api.deps, { workspaceId: wsA })).env.CRUD_TOKEN).toBe("tok-123456");
    expect((await loadRunVariables(api.deps, { workspaceId: wsB })).env.CRUD_TOKEN).toBe("b-value");
  });
});

describe("at run time", () => {
  async function insertFlow(workspaceId: string, graph: { nodes: unknown[]; edges: unknown[] }) {
    const [row] = await api.deps.db.insert(flows).values({ workspaceId, name: "Env flow", nodes: graph.nodes, edges: graph.edges }).returning({ id: flows.id });
    return row!.id;
  }

  it("{{ env.NAME }} resolves; a secret is *** in events, outputs, errors and logs", async () => {
    await rest("POST", "/api/v1/variables", { headers: bearer(adminKeyA), body: { name: "GREETING", value: "hello" } });
    await rest("POST", "/api/v1/variables", { headers: bearer(adminKeyA), body: { name: "API_TOKEN", value: SECRET, secret: true } });
    const flowId = await insertFlow(wsA, {
      nodes: [
        node("in", "source"),
        node("call", "http", { method: "GET", url: echoUrl, headers: { authorization: "Bearer {{ env.API_TOKEN }}" } }),
        node("leak", "function", { code: "console.log('token is ' + input.body.auth); return { leaked: input.body.auth };" }),
        node("out", "sink", { value: { greeting: "{{ env.GREETING }}", leaked: "{{ input.leaked }}" } }),
      ],
      edges: [edge("in", "call"), edge("call", "leak"), edge("leak", "out")],
    });
    const started = await rest<{ executionId: string }>("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(memberKeyA), body: { input: {} } });
    expect(started.status, started.text).toBe(202);
    const done = await t.waitFor(started.body.executionId, ["completed", "failed"]);
    expect(done.execution.status).toBe("completed");
    expect(done.execution.output).toEqual({ greeting: "hello", leaked: "Bearer ***" });

    const events = await api.deps.db.select().from(executionEvents).where(eq(executionEvents.executionId, started.body.executionId));
    const blocks = await api.deps.db.select().from(blockExecutions).where(eq(blockExecutions.executionId, started.body.executionId));
    const [execution] = await api.deps.db.select().from(flowExecutions).where(eq(flowExecutions.id, started.body.executionId));
    const stored = JSON.stringify({ events, blocks, execution });
    expect(stored).not.toContain(SECRET);
    expect(stored).toContain("token is Bearer ***");
    const viaApi = await rest("GET", `/api/v1/executions/${started.body.executionId}/events`, { headers: bearer(memberKeyA) });
    expect(viaApi.text).not.toContain(SECRET);
    expect(viaApi.text).toContain("Bearer ***");
  });

  it("masks a secret in a failed node's error", async () => {
    const flowId = await insertFlow(wsA, {
      nodes: [
        node("in", "source"),
        node("call", "http", { method: "GET", url: echoUrl, headers: { authorization: "{{ env.API_TOKEN }}" } }),
        node("boom", "function", { code: "throw new Error('bad token ' + input.body.auth);" }),
        node("out", "sink"),
      ],
      edges: [edge("in", "call"), edge("call", "boom"), edge("boom", "out")],
    });
    const started = await rest<{ executionId: string }>("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(memberKeyA), body: { input: {} } });
    const done = await t.waitFor(started.body.executionId, ["completed", "failed"]);
    expect(done.execution.status).toBe("failed");
    const events = await api.deps.db.select().from(executionEvents).where(eq(executionEvents.executionId, started.body.executionId));
    const stored = JSON.stringify({ events, blocks: done.blocks, execution: done.execution });
    expect(stored).toContain("bad token ***");
    expect(stored).not.toContain(SECRET);
  });

  it("refuses to start (and validate reports) a flow using a variable the workspace does not have, naming the node", async () => {
    const graph = {
      nodes: [node("in", "source"), node("out", "sink", { value: "{{ env.NOT_DEFINED }}" })],
      edges: [edge("in", "out")],
    };
    const flowId = await insertFlow(wsA, graph);
    const refused = await rest<ErrorBody>("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(memberKeyA), body: { input: {} } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.path).toBe("nodes.out.config.value");
    expect(refused.body.error.message).toContain("NOT_DEFINED");
    const validated = await rest<{ ok: boolean; problems: { code: string; nodeId: string }[] }>("POST", `/api/v1/flows/${flowId}/validate`, { headers: bearer(memberKeyA) });
    expect(validated.body).toMatchObject({ ok: false, problems: [{ code: "unknown_variable", nodeId: "out" }] });
    // A variable of another workspace does not count.
    await rest("POST", "/api/v1/variables", { headers: bearer(adminKeyB), body: { name: "NOT_DEFINED", value: "b" } });
    expect((await rest("POST", `/api/v1/flows/${flowId}/execute`, { headers: bearer(memberKeyA), body: { input: {} } })).status).toBe(400);
  });

  it("export shows a secret pasted into the graph as ***", async () => {
    const flowId = await insertFlow(wsA, {
      nodes: [node("in", "source"), node("out", "sink", { value: `pasted ${SECRET}` })],
      edges: [edge("in", "out")],
    });
    const exported = await rest("GET", `/api/v1/flows/${flowId}/export`, { headers: bearer(memberKeyA) });
    expect(exported.status).toBe(200);
    expect(exported.text).toContain("pasted ***");
    expect(exported.text).not.toContain(SECRET);
  });
});
