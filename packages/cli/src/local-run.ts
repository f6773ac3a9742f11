// `weft run FILE`: the flow runs on this machine, on a throwaway embedded database (or DATABASE_URL),
// with the real engine: sandboxed functions, guarded HTTP, AI blocks through an OpenAI-compatible
// endpoint from the environment (OPENAI_BASE_URL, OPENAI_API_KEY). `{{ env.NAME }}` reads the shell's
// environment.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { connectDatabase, createNotifyBus, findMigrationsFolder, flows, migrate, workspaces, type DatabaseHandle } from "@weft/db";
import { createWeftEngine, jsonSchemaProblem, type ExecutionStatus } from "@weft/engine";
import { variableReferences, type ImportedFlow } from "@weft/flow";
import { UsageError } from "./input";
import { createProgress } from "./progress";

export type LocalRunResult = { executionId: string; status: ExecutionStatus; output: unknown; error: unknown };

export type LocalRunOptions = {
  flow: ImportedFlow;
  input: unknown;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  /** No progress lines (for --json). */
  quiet: boolean;
  env: NodeJS.ProcessEnv;
};

// A paused run (an approval) cannot be decided locally: it ends the local run too.
const TERMINAL_EVENTS = new Set(["execution_complete", "execution_error", "execution_cancelled", "execution_paused"]);

export async function runLocally({ flow, input, out, quiet, env }: LocalRunOptions): Promise<LocalRunResult> {
  const missing = [...new Set(variableReferences(flow).filter((r) => env[r.name] === undefined).map((r) => `${r.name} (node "${r.nodeId}" ${r.field})`))];
  if (missing.length > 0) throw new UsageError(`the flow uses environment variables that are not set: ${missing.join(", ")}`);
  const source = flow.nodes.find((n) => n.type === "source");
  const schema = (source?.data.config as { inputSchema?: object } | undefined)?.inputSchema;
  const inputProblem = schema ? jsonSchemaProblem(schema, input) : null;
  if (inputProblem) throw new UsageError(`--input: ${inputProblem}`);
  const allowHosts = localAllowHosts(env);

  // A throwaway embedded PostgreSQL (its own folder, stopped at the end) unless DATABASE_URL is set.
  const tempDir = env.DATABASE_URL ? null : fs.mkdtempSync(path.join(os.tmpdir(), "weft-run-"));
  if (tempDir) fs.chmodSync(tempDir, 0o755); // as root, the server runs as `postgres` and must reach it
  let handle: DatabaseHandle | null = null;
  let engine: Awaited<ReturnType<typeof createWeftEngine>> | null = null;
  try {
    handle = await connectDatabase({ url: env.DATABASE_URL, dataDir: tempDir ?? os.tmpdir(), owner: "weft run", startEmbedded: true, max: 4 });
    await migrate(handle, findMigrationsFolder(path.dirname(fileURLToPath(import.meta.url))));
    const db = handle.db;
    const [workspace] = await db.insert(workspaces).values({ name: "weft run" }).returning({ id: workspaces.id });
    const [row] = await db
      .insert(flows)
      .values({ workspaceId: workspace!.id, name: flow.name, description: flow.description, nodes: flow.nodes, edges: flow.edges })
      .returning({ id: flows.id });
    const names = new Set(variableReferences(flow).map((r) => r.name));
    engine = await createWeftEngine({
      db,
      bus: createNotifyBus(handle),
      http: { allowHosts },
      pollMs: 200,
      getConnection: async () => {
        if (!env.OPENAI_BASE_URL && !env.OPENAI_API_KEY) throw new Error("AI blocks need OPENAI_BASE_URL and/or OPENAI_API_KEY when run locally");
        return { provider: env.OPENAI_BASE_URL ? "openai_compatible" : "openai", apiKey: env.OPENAI_API_KEY ?? "", baseUrl: env.OPENAI_BASE_URL ?? null };
      },
      getVariables: async () => ({ env: Object.fromEntries([...names].map((n) => [n, env[n] ?? ""])), secrets: [] }),
      onError: (error) => process.stderr.write(`[weft] engine error: ${(error as Error).message}\n`),
    });
    await engine.start();
    const execution = await engine.store.create({ workspaceId: workspace!.id, flowId: row!.id, graph: { nodes: flow.nodes, edges: flow.edges }, input, triggerType: "manual" });
    const labels = new Map(flow.nodes.map((n) => [n.id, n.data.label || n.id]));
    const progress = quiet ? null : createProgress({ out, total: flow.nodes.length, labels });
    let next = 0;
    for (let ended = false; !ended; ) {
      const events = await engine.store.events(execution.id, next);
      for (const event of events) {
        next = event.index + 1;
        progress?.event({ ...(event.data as object), type: event.type });
        if (TERMINAL_EVENTS.has(event.type)) ended = true;
      }
      if (!ended) await new Promise((r) => setTimeout(r, 25));
    }
    const loaded = await engine.store.load(execution.id);
    const final = loaded!.execution;
    progress?.finish({ status: final.status, output: final.output, error: final.error });
    return { executionId: execution.id, status: final.status, output: final.output, error: final.error };
  } finally {
    await engine?.stop().catch(() => undefined);
    await handle?.close().catch(() => undefined);
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

/**
 * Locally, the person running `weft run` is the operator: the hosts in WEFT_HTTP_ALLOW_HOSTS, plus the
 * host of the OPENAI_BASE_URL they set (often a model server on localhost), pass the SSRF guard. HTTP
 * blocks to any other private address are still refused.
 */
function localAllowHosts(env: NodeJS.ProcessEnv): string[] {
  const hosts = (env.WEFT_HTTP_ALLOW_HOSTS ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  if (env.OPENAI_BASE_URL) {
    try {
      hosts.push(new URL(env.OPENAI_BASE_URL).hostname.replace(/^\[|\]$/g, ""));
    } catch {
      throw new UsageError(`OPENAI_BASE_URL is not a URL: ${env.OPENAI_BASE_URL}`);
    }
  }
  return hosts;
}
