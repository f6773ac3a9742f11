import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@weft/db/testing";
import { isTransientStoreError } from "../src/core/ending";
import { createTestEngine, edge, node } from "../src/testing";
import { seedFlow } from "./support";

// The database drops the engine's connection in the middle of a commit (as a Postgres restart does).
// The run is not the problem, so it must not fail: it is handed back and resumed at the exact step.
let database: TestDatabase;
let server: http.Server;
let url: string;
const requests: Array<string | undefined> = [];
const errors: unknown[] = [];
let t: Awaited<ReturnType<typeof createTestEngine>>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = http.createServer((req, res) => {
    requests.push(req.headers["idempotency-key"] as string | undefined);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ answer: 42 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A real connection loss: the backend that inserts the first `node_complete` of node "call"
  // terminates itself mid-transaction (the sequence is not rolled back, so it happens once).
  await database.sql.unsafe(`
    create sequence outage_once;
    create function outage() returns trigger language plpgsql as $$
    begin
      if new.type = 'node_complete' and new.data->>'nodeId' = 'call' and nextval('outage_once') = 1 then
        perform pg_terminate_backend(pg_backend_pid());
        perform pg_sleep(5);
      end if;
      return new;
    end $$;
    create trigger outage before insert on execution_events for each row execute function outage();
  `);
  t = await createTestEngine(database, { onError: (error) => errors.push(error) });
  await t.engine.start();
});
afterAll(async () => {
  await t?.engine.stop();
  await new Promise((resolve) => server?.close(resolve));
  await database?.close();
});

it("hands a run back when its connection drops mid-commit, and resumes it at the exact step", async () => {
  const seed = await seedFlow(database.db);
  const graph = {
    nodes: [node("in", "source"), node("call", "http", { url: `${url}/answer` }), node("double", "function", { code: "return input.body.answer * 2;" }), node("out", "sink")],
    edges: [edge("in", "call"), edge("call", "double"), edge("double", "out")],
  };
  const execution = await t.store.create({ workspaceId: seed.workspaceId, flowId: seed.flowId, graph, input: {} });
  const done = await t.waitFor(execution.id, ["completed", "failed"]);

  expect(done.execution.error).toBeNull();
  expect(done.execution.status).toBe("completed");
  expect(done.execution.output).toBe(84);
  // The connection really dropped, and the engine saw it as the database's hiccup.
  expect(errors.some((error) => isTransientStoreError(error))).toBe(true);
  // The HTTP node's completion was lost with the connection, so it ran again, with the same key.
  expect(requests).toHaveLength(2);
  expect(new Set(requests)).toEqual(new Set([`${execution.id}:call:`]));
  const events = await t.store.events(execution.id);
  expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
  expect(events.map((e) => e.type)).not.toContain("execution_error");
  expect(events.filter((e) => e.type === "node_complete").map((e) => (e.data as { nodeId?: string }).nodeId)).toEqual(["in", "call", "double", "out"]);
});
