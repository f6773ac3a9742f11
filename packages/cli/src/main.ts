// `weft`: flows as files on the command line. Exit codes: 0 done, 1 a run failed (or the server said
// no), 2 usage or validation errors. `--json` on every command prints machine-readable output.
import fs from "node:fs";
import path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { describeProblem, parseFlowFile } from "@weft/flow";
import { followExecution } from "./follow";
import { readFlowText, readInput, UsageError } from "./input";
import { runLocally } from "./local-run";
import { createProgress, type RunEvent } from "./progress";
import { connect, ServerError, type Server } from "./server";

export type Io = { stdout: NodeJS.WritableStream & { isTTY?: boolean }; stderr: NodeJS.WritableStream; env: NodeJS.ProcessEnv };

const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

type FlowSummary = { id: string; name: string; version: number; publishedVersion: number | null; updatedAt: string };
type ExecutionDetail = { id: string; status: string; output: unknown; error: unknown };

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const { stdout, stderr, env } = io;
  const print = (text: string) => stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  const json = (value: unknown) => print(JSON.stringify(value));
  let code: number = EXIT.ok;

  const program = new Command("weft")
    .description("Weft flows as files: validate and run them here, or push, pull and run them on a Weft server")
    .option("--url <url>", "Weft server (default: $WEFT_URL)")
    .option("--api-key <key>", "API key (default: $WEFT_API_KEY)")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });
  const server = (): Server => connect(program.opts<{ url?: string; apiKey?: string }>(), env);
  const jsonOption = () => new Option("--json", "machine-readable output");

  program
    .command("validate")
    .description("check a flow file (weft/v1, or a step or stage workflow)")
    .argument("<file>")
    .addOption(jsonOption())
    .action((file: string, opts: { json?: boolean }) => {
      const { text, format } = readFlowText(file);
      const result = parseFlowFile(text, { format });
      if (opts.json) json(result.ok ? { ok: true, kind: result.flow.kind, name: result.flow.name, nodes: result.flow.nodes.length } : { ok: false, problems: result.problems });
      else if (result.ok) print(`${file}: valid ${result.flow.kind} flow "${result.flow.name}" (${result.flow.nodes.length} blocks)`);
      else for (const p of result.problems) stderr.write(`${file}:${p.line ?? 1}:${p.column ?? 1}: ${describeProblem({ ...p, line: undefined, column: undefined })}\n`);
      code = result.ok ? EXIT.ok : EXIT.usage;
    });

  program
    .command("run")
    .description("run a flow file on this machine (embedded database, or DATABASE_URL) with live progress")
    .argument("<file>")
    .option("--input <json|@file>", "run input as JSON, or @path to a JSON file")
    .addOption(jsonOption())
    .action(async (file: string, opts: { input?: string; json?: boolean }) => {
      const { text, format } = readFlowText(file);
      const parsed = parseFlowFile(text, { format });
      if (!parsed.ok) {
        for (const p of parsed.problems) stderr.write(`${file}:${p.line ?? 1}:${p.column ?? 1}: ${describeProblem({ ...p, line: undefined, column: undefined })}\n`);
        if (opts.json) json({ ok: false, problems: parsed.problems });
        code = EXIT.usage;
        return;
      }
      const result = await runLocally({ flow: parsed.flow, input: readInput(opts.input), out: stdout, quiet: opts.json === true, env });
      if (opts.json) json(result);
      code = result.status === "completed" ? EXIT.ok : EXIT.failed;
    });

  program
    .command("push")
    .description("create or update a flow on the server from a file (matched by the file's id)")
    .argument("<file>")
    .addOption(jsonOption())
    .action(async (file: string, opts: { json?: boolean }) => {
      const { text, format } = readFlowText(file);
      const parsed = parseFlowFile(text, { format });
      if (!parsed.ok) {
        for (const p of parsed.problems) stderr.write(`${file}:${p.line ?? 1}:${p.column ?? 1}: ${describeProblem({ ...p, line: undefined, column: undefined })}\n`);
        code = EXIT.usage;
        return;
      }
      const s = server();
      const contentType = format === "json" ? "application/json" : "application/yaml";
      let target = "";
      if (parsed.flow.id) {
        try {
          const current = await s.request<{ flow: { version: number } }>("GET", `/api/v1/flows/${parsed.flow.id}`);
          target = `?flowId=${parsed.flow.id}&version=${current.body.flow.version}`;
        } catch (error) {
          if (!(error instanceof ServerError && error.status === 404)) throw error;
        }
      }
      const res = await s.request<{ flow: { id: string; version: number; name: string } }>("POST", `/api/v1/flows/import${target}`, { body: text, contentType });
      const created = res.status === 201;
      if (opts.json) json({ flowId: res.body.flow.id, version: res.body.flow.version, created });
      else print(`${created ? "created" : "updated"} flow ${res.body.flow.id} "${res.body.flow.name}" (version ${res.body.flow.version})`);
    });

  const formatOption = () => new Option("--format <format>", "yaml or json").choices(["yaml", "json"]).default("yaml");
  program
    .command("pull")
    .description("download a flow as a weft/v1 file")
    .argument("<flowId>")
    .option("-o, --output <file>", "write to this file (default: standard output)")
    .addOption(formatOption())
    .option("--version <n>", "a published version instead of the draft")
    .addOption(jsonOption())
    .action(async (flowId: string, opts: { output?: string; format: string; version?: string; json?: boolean }) => {
      const query = `format=${opts.format}${opts.version ? `&version=${encodeURIComponent(opts.version)}` : ""}`;
      const res = await server().request<string>("GET", `/api/v1/flows/${flowId}/export?${query}`);
      if (opts.output) {
        fs.writeFileSync(opts.output, res.text);
        if (opts.json) json({ flowId, file: opts.output, bytes: Buffer.byteLength(res.text) });
        else print(`wrote ${opts.output}`);
      } else if (opts.json) json({ flowId, content: res.text });
      else stdout.write(res.text);
    });

  program
    .command("export")
    .description("download flows (all of them when none is named) as files into a directory")
    .argument("[flowIds...]")
    .option("-d, --dir <dir>", "directory to write into", ".")
    .addOption(formatOption())
    .addOption(jsonOption())
    .action(async (flowIds: string[], opts: { dir: string; format: string; json?: boolean }) => {
      const s = server();
      const ids = flowIds.length > 0 ? flowIds : await allFlowIds(s);
      fs.mkdirSync(opts.dir, { recursive: true });
      const written: { flowId: string; file: string }[] = [];
      for (const id of ids) {
        const res = await fetchFile(s, id, opts.format);
        const file = path.join(opts.dir, res.filename);
        fs.writeFileSync(file, res.text);
        written.push({ flowId: id, file });
      }
      if (opts.json) json(written);
      else for (const w of written) print(`${w.flowId} -> ${w.file}`);
    });

  program
    .command("execute")
    .description("start a run of a flow on the server")
    .argument("<flowId>")
    .option("--input <json|@file>", "run input as JSON, or @path to a JSON file")
    .option("-f, --follow", "follow the run live until it ends (exit 1 when it fails)")
    .addOption(jsonOption())
    .action(async (flowId: string, opts: { input?: string; follow?: boolean; json?: boolean }) => {
      const s = server();
      const input = readInput(opts.input);
      const res = await s.request<{ executionId: string; status: string; streamUrl: string }>("POST", `/api/v1/flows/${flowId}/execute`, { body: JSON.stringify({ input }) });
      if (!opts.follow) {
        if (opts.json) json(res.body);
        else print(`started execution ${res.body.executionId}`);
        return;
      }
      if (!opts.json) print(`execution ${res.body.executionId}`);
      code = await follow(s, res.body.executionId, opts.json === true);
    });

  program
    .command("logs")
    .description("print an execution's events; -f follows it live (reconnecting with Last-Event-ID)")
    .argument("<executionId>")
    .option("-f, --follow", "follow until the run ends")
    .addOption(jsonOption())
    .action(async (executionId: string, opts: { follow?: boolean; json?: boolean }) => {
      const s = server();
      if (opts.follow) {
        code = await follow(s, executionId, opts.json === true);
        return;
      }
      const res = await s.request<{ items?: { index: number; type: string; data: object }[]; events?: { index: number; type: string; data: object }[] }>("GET", `/api/v1/executions/${executionId}/events`);
      const events = res.body.items ?? res.body.events ?? [];
      for (const e of events) {
        if (opts.json) json({ index: e.index, event: { type: e.type, ...e.data } });
        else print(`${e.index} ${e.type} ${JSON.stringify(e.data)}`);
      }
    });

  program
    .command("ls")
    .description("list the workspace's flows")
    .addOption(jsonOption())
    .action(async (opts: { json?: boolean }) => {
      const s = server();
      const items: FlowSummary[] = [];
      for (let cursor: string | null = null; ; ) {
        const res: { body: { items: FlowSummary[]; nextCursor: string | null } } = await s.request("GET", `/api/v1/flows?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        items.push(...res.body.items);
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      if (opts.json) json(items.map(({ id, name, version, publishedVersion, updatedAt }) => ({ id, name, version, publishedVersion, updatedAt })));
      else for (const f of items) print(`${f.id}  v${f.version}${f.publishedVersion ? ` (published v${f.publishedVersion})` : ""}  ${f.name}`);
    });

  async function follow(s: Server, executionId: string, asJson: boolean): Promise<number> {
    const progress = asJson ? null : createProgress({ out: stdout, total: 0 });
    await followExecution({
      server: s,
      executionId,
      onEvent: (index, event: RunEvent) => {
        if (asJson) json({ index, event });
        else progress!.event(event);
      },
    });
    const detail = await s.request<{ execution?: ExecutionDetail } & ExecutionDetail>("GET", `/api/v1/executions/${executionId}`);
    const execution = detail.body.execution ?? detail.body;
    if (asJson) json({ executionId, status: execution.status, output: execution.output ?? null, error: execution.error ?? null });
    else progress!.finish(execution);
    return execution.status === "completed" ? EXIT.ok : EXIT.failed;
  }

  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      stderr.write(`weft: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof ServerError) {
      stderr.write(`weft: ${error.message}\n`);
      const problems = (error.body as { error?: { problems?: { line?: number; column?: number; message: string }[] } } | null)?.error?.problems;
      for (const p of problems ?? []) stderr.write(`  ${describeProblem(p as Parameters<typeof describeProblem>[0])}\n`);
      return error.status === 400 ? EXIT.usage : EXIT.failed;
    }
    stderr.write(`weft: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
}

async function allFlowIds(s: Server): Promise<string[]> {
  const ids: string[] = [];
  for (let cursor: string | null = null; ; ) {
    const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await s.request("GET", `/api/v1/flows?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    ids.push(...res.body.items.map((f) => f.id));
    cursor = res.body.nextCursor;
    if (!cursor) return ids;
  }
}

async function fetchFile(s: Server, flowId: string, format: string): Promise<{ text: string; filename: string }> {
  const res = await fetch(`${s.url}/api/v1/flows/${flowId}/export?format=${format}`, { headers: s.headers() });
  const text = await res.text();
  if (!res.ok) throw new ServerError(res.status, `${res.status}: ${text.slice(0, 200)}`, null);
  const filename = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `${flowId}.weft.${format}`;
  return { text, filename: path.basename(filename) };
}
