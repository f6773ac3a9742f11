import { blockTitle } from "./blocks";

// What a block's templates and code can use, for the variable picker and `input.` completions:
// - its input (the output of the block before it), with the fields known for it;
// - the run input (the Start block's output: the fields of its input schema);
// - the outputs of the blocks upstream of it, with their fields.
// Fields come from the last run when there is one, else from what the block declares (the Start
// block's input schema, an AI block's structured output, an HTTP response's status/headers/body).

export type Variable = {
  /** Picker section: "Input", "Run input", or the upstream block's title. */
  group: string;
  /** What the row says ("input.email", "output.status"). */
  label: string;
  /** Inserted in a template field. */
  template: string;
  /** Inserted in code (`input` only exists there), or null where code cannot reach it. */
  code: string | null;
};

type GraphNode = { id: string; type?: string; data: { label?: string; config?: unknown } };
type GraphEdge = { source: string; target: string };
/** Outputs of the last run, by node id. */
export type LastOutputs = ReadonlyMap<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const member = (base: string, key: string) => (IDENT.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`);

function schemaKeys(schema: unknown): string[] {
  return isObject(schema) && isObject(schema.properties) ? Object.keys(schema.properties) : [];
}

/** The top-level fields a block's output is known to have. */
export function outputFields(node: GraphNode, last: LastOutputs): string[] {
  const output = last.get(node.id);
  if (isObject(output)) return Object.keys(output).slice(0, 50);
  const config = isObject(node.data.config) ? node.data.config : {};
  switch (node.type) {
    case "source":
      return schemaKeys(config.inputSchema);
    case "ai":
      return schemaKeys(config.outputSchema);
    case "http":
      return ["status", "headers", "body"];
    case "router":
      return ["handle", "input"];
    default:
      return [];
  }
}

/** Blocks upstream of `nodeId`, nearest first (each once). */
function ancestors(nodeId: string, edges: readonly GraphEdge[]): string[] {
  const seen = new Set<string>([nodeId]);
  const order: string[] = [];
  let frontier = [nodeId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const e of edges) {
        if (e.target === id && !seen.has(e.source)) {
          seen.add(e.source);
          order.push(e.source);
          next.push(e.source);
        }
      }
    }
    frontier = next;
  }
  return order;
}

/** Everything in scope for one block, in picker order. */
export function variablesFor(nodeId: string, nodes: readonly GraphNode[], edges: readonly GraphEdge[], last: LastOutputs = new Map()): Variable[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const vars: Variable[] = [];
  const parents = edges.filter((e) => e.target === nodeId).map((e) => byId.get(e.source)).filter((n): n is GraphNode => n !== undefined);

  vars.push({ group: "Input", label: "input", template: "{{ input }}", code: "input" });
  // With one block before it, its input is that block's output: its fields are known.
  if (parents.length === 1) {
    for (const key of outputFields(parents[0]!, last)) {
      vars.push({ group: "Input", label: member("input", key), template: `{{ ${member("input", key)} }}`, code: member("input", key) });
    }
  }

  const source = nodes.find((n) => n.type === "source");
  if (source && source.id !== nodeId) {
    for (const key of schemaKeys(isObject(source.data.config) ? source.data.config.inputSchema : undefined)) {
      const path = member(`nodes.${source.id}.output`, key);
      vars.push({ group: "Run input", label: key, template: `{{ ${path} }}`, code: null });
    }
  }

  for (const id of ancestors(nodeId, edges)) {
    const node = byId.get(id);
    if (!node || node.type === "source") continue;
    const group = blockTitle(node.data.label, node.type ?? "");
    const base = `nodes.${id}.output`;
    vars.push({ group, label: "output", template: `{{ ${base} }}`, code: null });
    for (const key of outputFields(node, last)) vars.push({ group, label: member("output", key), template: `{{ ${member(base, key)} }}`, code: null });
  }
  return vars;
}
