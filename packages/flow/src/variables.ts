// `{{ env.NAME }}`: workspace variables used by a flow. Validation, run start and import name every
// variable a flow uses that the workspace does not have, with the node and field.
import { blockTemplateFields, isBlockType, isPlainObject } from "./schema";
import { collectTemplates, templateExpressions } from "./template";
import { formatPath, type FlowProblem } from "./validate";

/** A variable name: letters, digits and `_`, not starting with a digit (like environment variables). */
export const VARIABLE_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

export interface VariableReference {
  nodeId: string;
  /** Field in the node, like validation paths: `config.headers.Authorization`. */
  field: string;
  name: string;
}

/** Every `{{ env.NAME }}` in the template fields of the graph's nodes, in node order. Broken templates are skipped (validation reports them). */
export function variableReferences(graph: { nodes: readonly unknown[] }): VariableReference[] {
  const out: VariableReference[] = [];
  for (const node of graph.nodes) {
    if (!isPlainObject(node) || typeof node.id !== "string" || !isBlockType(node.type)) continue;
    const data = isPlainObject(node.data) ? node.data : {};
    const config = isPlainObject(data.config) ? data.config : {};
    for (const key of blockTemplateFields[node.type] as readonly string[]) {
      for (const { path, template } of collectTemplates(config[key], [key])) {
        let expressions;
        try {
          expressions = templateExpressions(template);
        } catch {
          continue;
        }
        for (const expr of expressions) {
          const name = expr.path[0];
          if (expr.root === "env" && typeof name === "string") out.push({ nodeId: node.id, field: formatPath(["config", ...path]), name });
        }
      }
    }
  }
  return out;
}

/** Problems (`unknown_variable`) for every reference to a variable not in `known`. */
export function unknownVariableProblems(graph: { nodes: readonly unknown[] }, known: Iterable<string>): FlowProblem[] {
  const names = new Set(known);
  return variableReferences(graph)
    .filter((ref) => !names.has(ref.name))
    .map((ref) => ({
      code: "unknown_variable" as const,
      nodeId: ref.nodeId,
      path: ref.field,
      message: `Block "${ref.nodeId}": ${ref.field} uses {{ env.${ref.name} }}, but the workspace has no variable ${ref.name}`,
    }));
}
