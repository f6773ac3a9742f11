// Template checks of validateFlow: every `{{ ... }}` in a block's template fields parses, and every
// `nodes.X` it reads names a block that runs before it (upstream, and not inside a loop's body when
// X is that loop).
import { type Adjacency, ancestorsOf } from "./graph";
import { blockTemplateFields, isBlockType, isPlainObject } from "./schema";
import { TemplateError, collectTemplates, templateExpressions } from "./template";
import { type FlowProblem, formatPath, nodeName } from "./validate-problems";
import type { NodeView } from "./validate";

export function checkTemplates({ views, nodes, adjacency, loopBodies, problems }: {
  views: readonly NodeView[];
  nodes: ReadonlyMap<string, NodeView>;
  adjacency: Adjacency;
  loopBodies: ReadonlyMap<string, Set<string>>;
  problems: FlowProblem[];
}): void {
const ancestorCache = new Map<string, Set<string>>();
const ancestors = (id: string) => {
  let set = ancestorCache.get(id);
  if (!set) {
    set = ancestorsOf(adjacency, id);
    ancestorCache.set(id, set);
  }
  return set;
};
for (const view of views) {
  if (!isBlockType(view.type) || !isPlainObject(view.rawConfig)) continue;
  const config = view.rawConfig;
  for (const field of blockTemplateFields[view.type] as readonly string[]) {
    for (const { path, template } of collectTemplates(config[field], [field])) {
      const where = formatPath(["config", ...path]);
      let refs: { id: string; source: string }[];
      try {
        refs = templateExpressions(template).flatMap((expr) => {
          const first = expr.path[0];
          return expr.root === "nodes" && first !== undefined ? [{ id: String(first), source: expr.source }] : [];
        });
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        problems.push({
          code: "invalid_template",
          nodeId: view.id,
          path: where,
          message: `${nodeName(view)}: ${where} has a broken template: ${error.message}`,
        });
        continue;
      }
      const seen = new Set<string>();
      for (const ref of refs) {
        if (seen.has(ref.id)) continue;
        seen.add(ref.id);
        checkReference(view, ref, where);
      }
    }
  }
}

function checkReference(view: NodeView, ref: { id: string; source: string }, where: string): void {
  const target = nodes.get(ref.id);
  if (!target) {
    problems.push({
      code: "unknown_node_reference",
      nodeId: view.id,
      path: where,
      message: `${nodeName(view)}: ${where} refers to block "${ref.id}" in ${ref.source}, but there is no such block`,
    });
    return;
  }
  if (ref.id === view.id) {
    problems.push({
      code: "reference_not_upstream",
      nodeId: view.id,
      path: where,
      message: `${nodeName(view)}: ${where} refers to its own output in ${ref.source}; use {{ input }} for what it receives`,
    });
    return;
  }
  if (!ancestors(view.id).has(ref.id)) {
    problems.push({
      code: "reference_not_upstream",
      nodeId: view.id,
      path: where,
      message: `${nodeName(view)}: ${where} refers to block "${ref.id}" in ${ref.source}, which does not run before it (it is not connected upstream)`,
    });
    return;
  }
  if (loopBodies.get(ref.id)?.has(view.id)) {
    problems.push({
      code: "reference_not_upstream",
      nodeId: view.id,
      path: where,
      message: `${nodeName(view)}: ${where} refers to loop "${ref.id}" in ${ref.source}, but it is inside that loop's body and the loop's output exists only after all iterations; use {{ input.item }} and {{ input.index }}`,
    });
  }
}
}
