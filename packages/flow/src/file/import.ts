// `weft/v1` file (or an inherited step/stage workflow) -> graph. Every problem says where it is:
// syntax errors by line and column, schema errors by path (and line), graph errors by node id and
// field (and line, for weft/v1 files).
import { type Document, LineCounter, parseDocument } from "yaml";
import { type FlowEdge, type FlowNode, isPlainObject } from "../schema";
import { validateFlow } from "../validate";
import { defaultEdgeId } from "./export";
import { FlowFile, type FlowFileTriggers } from "./format";
import { type SourceProblem, zodProblems } from "./inherited";
import { layoutPositions } from "./layout";
import { isStageWorkflow, stageWorkflowToFile } from "./stages";
import { isStepWorkflow, stepWorkflowToFile } from "./steps";

export type FlowFileKind = "weft/v1" | "steps" | "stages";

export interface FileProblem {
  /** `syntax` (YAML/JSON), `schema` (shape of the file), `graph` (validateFlow), `unsupported` (a runner step type). */
  kind: "syntax" | "schema" | "graph" | "unsupported";
  message: string;
  /** Path in the file (`nodes[2].config.url`, `steps[1].type`). */
  path?: string;
  /** 1-based. */
  line?: number;
  column?: number;
  /** For graph problems: the node and the field in it (`config.url`). */
  nodeId?: string;
  edgeId?: string;
  field?: string;
}

export interface ImportedFlow {
  kind: FlowFileKind;
  /** The file's `id` (weft/v1) when it is a uuid. */
  id?: string;
  name: string;
  description: string;
  nodes: FlowNode[];
  edges: FlowEdge[];
  triggers?: FlowFileTriggers;
}

export type ParseFlowFileResult = { ok: true; flow: ImportedFlow } | { ok: false; problems: FileProblem[] };

export class FlowFileError extends Error {
  override readonly name = "FlowFileError";
  constructor(readonly problems: FileProblem[]) {
    super(`Invalid flow file: ${problems.slice(0, 5).map(describeProblem).join("; ")}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}`);
  }
}

/** `line 3, column 5: nodes[0].id: must not be empty`. */
export function describeProblem(p: FileProblem): string {
  const at = p.line !== undefined ? `line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ""}: ` : "";
  const where = p.nodeId !== undefined ? `node "${p.nodeId}"${p.field ? ` ${p.field}` : ""}: ` : p.path ? `${p.path}: ` : "";
  return `${at}${where}${p.message}`;
}

function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `config.routes[0].when` -> ["config", "routes", 0, "when"]. */
function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(`"${m[3]}"`) as string);
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Line and column of the deepest existing part of `path`. */
  at(path: readonly (string | number)[]): { line?: number; column?: number } {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) {
        const pos = this.lines.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return {};
  }

  problem(kind: FileProblem["kind"], { path, message }: SourceProblem): FileProblem {
    return { kind, message, path: formatPath(path), ...this.at(path) };
  }
}

/**
 * Parses a flow file. `format` says how to read the text (`json` refuses anything that is not JSON);
 * the shape (weft/v1, steps or stages) is detected by its keys.
 */
export function parseFlowFile(text: string, options: { format?: "yaml" | "json" } = {}): ParseFlowFileResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const syntax = doc.errors.map((error): FileProblem => {
    const pos = error.linePos?.[0];
    return { kind: "syntax", message: error.message.split("\n")[0] ?? error.message, ...(pos ? { line: pos.line, column: pos.col } : {}) };
  });
  if (syntax.length === 0 && options.format === "json") {
    try {
      JSON.parse(text);
    } catch (error) {
      syntax.push({ kind: "syntax", message: `Not JSON: ${(error as Error).message}`, ...jsonErrorPosition(text, error as Error) });
    }
  }
  if (syntax.length > 0) return { ok: false, problems: syntax };
  const locate = new Locator(doc, lines);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, problems: [{ kind: "syntax", message: (error as Error).message }] };
  }
  if (!isPlainObject(value)) {
    return { ok: false, problems: [{ kind: "schema", message: "A flow file must be a mapping (an object) at the top", line: 1, column: 1 }] };
  }

  let kind: FlowFileKind;
  let fileInput: unknown = value;
  if ("format" in value || "nodes" in value) {
    kind = "weft/v1";
    if (!("format" in value)) fileInput = { format: "weft/v1", ...value };
  } else if (isStageWorkflow(value)) {
    kind = "stages";
    const mapped = stageWorkflowToFile(value);
    if (!mapped.file) return { ok: false, problems: mapped.problems.map((p) => locate.problem(problemKind(p), p)) };
    fileInput = mapped.file;
  } else if (isStepWorkflow(value)) {
    kind = "steps";
    const mapped = stepWorkflowToFile(value);
    if (!mapped.file) return { ok: false, problems: mapped.problems.map((p) => locate.problem(problemKind(p), p)) };
    fileInput = mapped.file;
  } else {
    return {
      ok: false,
      problems: [{ kind: "schema", message: 'Not a flow file: expected "format: weft/v1" with nodes, "steps" (step format) or "stages" with "stageConfigs" (stage format)', line: 1, column: 1 }],
    };
  }

  const parsed = FlowFile.safeParse(fileInput);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error).map((p) => locate.problem("schema", p)) };
  return fileToGraph(parsed.data, kind, kind === "weft/v1" ? locate : undefined);
}

function problemKind(p: SourceProblem): FileProblem["kind"] {
  return p.message.includes("self-hosted runner") ? "unsupported" : "schema";
}

function jsonErrorPosition(text: string, error: Error): { line?: number; column?: number } {
  const m = /position (\d+)/.exec(error.message);
  if (!m) return {};
  const before = text.slice(0, Number(m[1]));
  const line = before.split("\n").length;
  return { line, column: before.length - before.lastIndexOf("\n") };
}

/** A parsed file -> graph (input schema into the Start block, phases checked, edge ids, layout), then validateFlow. */
export function fileToGraph(file: FlowFile, kind: FlowFileKind = "weft/v1", locate?: Locator): ParseFlowFileResult {
  const problems: FileProblem[] = [];
  const where = (path: (string | number)[]) => (locate ? locate.at(path) : {});
  const sources = file.nodes.flatMap((n, i) => (n.type === "source" ? [i] : []));
  if (file.inputSchema !== undefined) {
    const only = sources.length === 1 ? file.nodes[sources[0]!] : undefined;
    if (!only) problems.push({ kind: "graph", path: "inputSchema", message: "needs exactly one Start (source) block to belong to", ...where(["inputSchema"]) });
    else if (only.config && "inputSchema" in only.config) {
      problems.push({ kind: "graph", nodeId: only.id, field: "config.inputSchema", path: "inputSchema", message: "is given twice: at the top of the file and in the Start block's config", ...where(["inputSchema"]) });
    }
  }
  if (file.phases) {
    const phases = new Set(file.phases);
    file.nodes.forEach((node, i) => {
      if (node.phase !== undefined && !phases.has(node.phase)) {
        problems.push({ kind: "graph", nodeId: node.id, field: "phase", path: `nodes[${i}].phase`, message: `"${node.phase}" is not one of the phases (${file.phases!.join(", ")})`, ...where(["nodes", i, "phase"]) });
      }
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const edges: FlowEdge[] = (file.edges ?? []).map((edge) => ({
    id: edge.id ?? defaultEdgeId(edge),
    source: edge.source,
    target: edge.target,
    ...(edge.sourceHandle !== undefined ? { sourceHandle: edge.sourceHandle } : {}),
    ...(edge.targetHandle !== undefined ? { targetHandle: edge.targetHandle } : {}),
  }));
  const positions = file.nodes.every((n) => n.position) ? undefined : layoutPositions({ nodes: file.nodes, edges });
  const nodes: FlowNode[] = file.nodes.map((node) => {
    const config = { ...(node.config ?? {}) };
    if (node.type === "source" && file.inputSchema !== undefined) config.inputSchema = file.inputSchema;
    return {
      id: node.id,
      type: node.type,
      position: node.position ?? positions!.get(node.id)!,
      data: {
        ...(node.label !== undefined ? { label: node.label } : {}),
        ...(node.phase !== undefined ? { phase: node.phase } : {}),
        config,
        ...(node.retry !== undefined ? { retry: node.retry } : {}),
        ...(node.timeoutMs !== undefined ? { timeoutMs: node.timeoutMs } : {}),
        ...(node.onFailure !== undefined ? { onFailure: node.onFailure } : {}),
      },
    };
  });

  const result = validateFlow({ nodes, edges });
  if (!result.ok) {
    const index = new Map(file.nodes.map((n, i) => [n.id, i]));
    const edgeIndex = new Map(edges.map((e, i) => [e.id, i]));
    return {
      ok: false,
      problems: result.problems.map((p): FileProblem => {
        const i = p.nodeId !== undefined ? index.get(p.nodeId) : undefined;
        const e = p.edgeId !== undefined ? edgeIndex.get(p.edgeId) : undefined;
        const fieldPath = p.path ? splitPath(p.path) : [];
        const path = i !== undefined ? ["nodes", i, ...fieldPath] : e !== undefined ? ["edges", e, ...fieldPath] : fieldPath;
        return {
          kind: "graph",
          message: p.message,
          ...(p.nodeId !== undefined ? { nodeId: p.nodeId } : {}),
          ...(p.edgeId !== undefined ? { edgeId: p.edgeId } : {}),
          ...(p.path !== undefined ? { field: p.path } : {}),
          ...(path.length > 0 ? { path: formatPath(path) } : {}),
          ...where(path),
        };
      }),
    };
  }
  return {
    ok: true,
    flow: {
      kind,
      ...(file.id !== undefined ? { id: file.id } : {}),
      name: file.name,
      description: file.description ?? "",
      nodes,
      edges,
      ...(file.triggers !== undefined ? { triggers: file.triggers } : {}),
    },
  };
}
