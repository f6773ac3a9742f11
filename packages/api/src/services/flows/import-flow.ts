import { describeProblem, parseFlowFile, type FileProblem, type ImportedFlow } from "@weft/flow";
import { z } from "zod";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { requireRole } from "../../lib/roles";
import { parseInput } from "../../lib/validation";
import { unknownVariables } from "../variables/require-known-variables";
import { createFlow } from "./create-flow";
import type { FlowView } from "./flow-view";
import { updateFlow } from "./update-flow";

export const ImportFlowInput = z.object({
  /** The file's text (YAML or JSON). */
  content: z.string().min(1, "The file is empty").max(2 * 1024 * 1024),
  format: z.enum(["yaml", "json"]),
  /** Update this flow instead of creating one; `version` must then be the one last read. */
  flowId: z.uuid().optional(),
  version: z.coerce.number().int().min(1).optional(),
});
export type ImportFlowInput = z.input<typeof ImportFlowInput>;

export type ImportResult = { flow: FlowView; created: boolean; kind: ImportedFlow["kind"] };

/**
 * Creates a flow from a `weft/v1` file or an inherited step/stage workflow (members), or with `flowId`
 * replaces that flow's draft under the optimistic version check. Nothing is written unless the file
 * parses, validates and uses only variables the workspace has: a 400 lists every problem (line and
 * column, path, node id and field). Triggers in the file are not applied (see the note in the README).
 */
export async function importFlow(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<ImportResult> {
  requireRole(actor.role, "member");
  const { content, format, flowId, version } = parseInput(ImportFlowInput, input);
  if (flowId !== undefined && version === undefined) {
    throw new AppError("BAD_REQUEST", "version: give the version of the flow you are replacing (optimistic check)", { path: "version" });
  }
  const parsed = parseFlowFile(content, { format });
  if (!parsed.ok) throw problemsError(parsed.problems);
  const { flow } = parsed;
  const missing = await unknownVariables(deps.db, { workspaceId: actor.workspaceId, graph: flow });
  if (missing.length > 0) {
    throw problemsError(missing.map((p): FileProblem => ({ kind: "graph", message: p.message, nodeId: p.nodeId!, field: p.path! })));
  }
  const graph = { name: flow.name, description: flow.description, nodes: flow.nodes, edges: flow.edges };
  if (flowId !== undefined) {
    const updated = await updateFlow(deps, { actor, input: { flowId, version, ...graph } });
    return { flow: updated, created: false, kind: flow.kind };
  }
  return { flow: await createFlow(deps, { actor, input: graph }), created: true, kind: flow.kind };
}

function problemsError(problems: FileProblem[]): AppError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  const path = first.nodeId !== undefined ? `nodes.${first.nodeId}${first.field ? `.${first.field}` : ""}` : first.path || undefined;
  return new AppError("BAD_REQUEST", `${describeProblem(first)}${more}`, { ...(path ? { path } : {}), problems });
}
