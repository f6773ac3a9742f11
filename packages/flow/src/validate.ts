// validateFlow: every problem of a flow graph, each with a message a user understands and the id
// of the node or edge to highlight. Validation never stops at the first problem: a broken node
// is still analysed as far as it can be, so fixing one problem does not reveal ten new ones.
import { type Adjacency, type GraphEdge, buildAdjacency, cycleThrough, cyclicComponents, inEdges, reachableFrom } from "./graph";
import {
  type BlockConfig,
  type FlowGraph,
  FLOW_LIMITS,
  FlowGraph as FlowGraphSchema,
  LOOP_BODY_HANDLE,
  allowedSourceHandles,
  blockConfigSchemas,
  blockTypes,
  isBlockType,
  isPlainObject,
} from "./schema";
import {
  type FlowProblem,
  type FlowValidationResult,
  edgeName,
  formatPath,
  friendlyErrors,
  handleName,
  issueFields,
  kindOf,
  nodeName,
  quoteList,
  str,
} from "./validate-problems";
import { checkTemplates } from "./validate-templates";
import { type z } from "zod";

export { flowProblemCodes, FlowValidationError, formatPath, type FlowProblem, type FlowProblemCode, type FlowValidationResult } from "./validate-problems";

/** Validates a flow graph (any JSON); `ok` is true when there is no problem. */
export function validateFlow(graph: unknown): FlowValidationResult {
  const analysis = analyzeFlow(graph);
  if (analysis.problems.length === 0 && analysis.graph) {
    return { ok: true, problems: [], graph: analysis.graph };
  }
  return { ok: false, problems: analysis.problems };
}

// ---------------------------------------------------------------------------------------------
// Analysis shared with compileFlow

export interface NodeView {
  index: number;
  id: string;
  /** undefined when `type` is not a string (reported as invalid_graph). */
  type: string | undefined;
  label: string | undefined;
  rawConfig: unknown;
  /** Parsed config, when the type is known and the config valid. */
  config: BlockConfig | undefined;
}

/** @internal */
export interface FlowAnalysis {
  problems: FlowProblem[];
  /** The parsed graph, when its shape is valid (other problems may remain). */
  graph?: FlowGraph;
  nodes: Map<string, NodeView>;
  adjacency: Adjacency;
  /** For each loop node, the nodes reachable from its `body` handle. */
  loopBodies: Map<string, Set<string>>;
}

/** @internal Validation and the facts compileFlow builds on. */
export function analyzeFlow(input: unknown): FlowAnalysis {
  const problems: FlowProblem[] = [];
  const nodes = new Map<string, NodeView>();
  const empty: FlowAnalysis = {
    problems,
    nodes,
    adjacency: buildAdjacency([], []),
    loopBodies: new Map(),
  };

  // 1. Shape ---------------------------------------------------------------------------------
  if (!isPlainObject(input)) {
    problems.push({
      code: "invalid_graph",
      message: `A flow must be an object with "nodes" and "edges" (got ${kindOf(input)})`,
    });
    return empty;
  }
  const shape = FlowGraphSchema.safeParse(input, { error: friendlyErrors });
  const rawNodes = Array.isArray(input.nodes) ? (input.nodes as unknown[]) : undefined;
  const rawEdges = Array.isArray(input.edges) ? (input.edges as unknown[]) : undefined;
  const rawNodeId = (i: number) => {
    const raw = rawNodes?.[i];
    return isPlainObject(raw) ? str(raw.id) : undefined;
  };
  const rawEdgeId = (i: number) => {
    const raw = rawEdges?.[i];
    return isPlainObject(raw) ? str(raw.id) : undefined;
  };
  const rawLabel = (i: number) => {
    const raw = rawNodes?.[i];
    return isPlainObject(raw) && isPlainObject(raw.data) ? str(raw.data.label) : undefined;
  };

  if (!shape.success) {
    for (const { path, message } of issueFields(shape.error.issues)) {
      const [collection, index, ...rest] = path;
      if (collection === "nodes" && typeof index === "number") {
        const id = rawNodeId(index);
        const relative = rest[0] === "data" && rest.length > 1 ? rest.slice(1) : rest;
        if (id !== undefined) {
          const field = formatPath(relative);
          problems.push({
            code: "invalid_graph",
            nodeId: id,
            path: field || undefined,
            message: `${nodeName({ id, label: rawLabel(index) })}: ${field ? `${field} ` : ""}${message}`,
          });
        } else {
          const where = formatPath(path);
          problems.push({ code: "invalid_graph", path: where, message: `Block ${index + 1}: ${where} ${message}` });
        }
      } else if (collection === "edges" && typeof index === "number") {
        const id = rawEdgeId(index);
        const field = formatPath(rest);
        if (id !== undefined) {
          problems.push({
            code: "invalid_graph",
            edgeId: id,
            path: field || undefined,
            message: `Connection "${id}": ${field ? `${field} ` : ""}${message}`,
          });
        } else {
          const where = formatPath(path);
          problems.push({ code: "invalid_graph", path: where, message: `Connection ${index + 1}: ${where} ${message}` });
        }
      } else {
        const where = formatPath(path);
        problems.push({
          code: "invalid_graph",
          path: where || undefined,
          message: `The flow's ${where || "graph"} ${message}`,
        });
      }
    }
  }
  if (
    !rawNodes ||
    !rawEdges ||
    rawNodes.length > FLOW_LIMITS.maxNodes ||
    rawEdges.length > FLOW_LIMITS.maxEdges
  ) {
    return empty;
  }

  // 2. Nodes: ids, types, configs ----------------------------------------------------------------
  rawNodes.forEach((raw, index) => {
    if (!isPlainObject(raw)) return;
    const id = str(raw.id);
    if (id === undefined) return;
    const data = isPlainObject(raw.data) ? raw.data : undefined;
    const view: NodeView = {
      index,
      id,
      type: str(raw.type),
      label: str(data?.label),
      rawConfig: data?.config,
      config: undefined,
    };
    if (nodes.has(id)) {
      problems.push({
        code: "duplicate_node_id",
        nodeId: id,
        path: "id",
        message: `${nodeName(view)}: another block already has the id "${id}"; ids must be unique`,
      });
      return;
    }
    nodes.set(id, view);
    if (view.type === undefined) return; // reported with the shape
    if (!isBlockType(view.type)) {
      problems.push({
        code: "unknown_block_type",
        nodeId: id,
        path: "type",
        message: `${nodeName(view)}: unknown block type "${view.type}" (known types: ${blockTypes.join(", ")})`,
      });
      return;
    }
    const schema = blockConfigSchemas[view.type] as z.ZodType<BlockConfig>;
    const parsed = schema.safeParse(view.rawConfig ?? {}, { error: friendlyErrors });
    if (parsed.success) {
      view.config = parsed.data;
      return;
    }
    for (const { path, message } of issueFields(parsed.error.issues)) {
      const field = formatPath(["config", ...path]);
      problems.push({
        code: "invalid_config",
        nodeId: id,
        path: field,
        message: `${nodeName(view)}: ${field} ${message}`,
      });
    }
  });

  // 3. Edges ---------------------------------------------------------------------------------------
  const edges: GraphEdge[] = [];
  const edgeIds = new Set<string>();
  const edgeKeys = new Map<string, string>();
  rawEdges.forEach((raw) => {
    if (!isPlainObject(raw)) return;
    const id = str(raw.id);
    const source = str(raw.source);
    const target = str(raw.target);
    if (id === undefined || source === undefined || target === undefined) return; // shape problem
    const edge: GraphEdge = {
      id,
      source,
      target,
      sourceHandle: str(raw.sourceHandle) ?? null,
      targetHandle: str(raw.targetHandle) ?? null,
    };
    if (edgeIds.has(id)) {
      problems.push({
        code: "duplicate_edge_id",
        edgeId: id,
        path: "id",
        message: `${edgeName(edge)}: another connection already has the id "${id}"; ids must be unique`,
      });
    }
    edgeIds.add(id);

    const from = nodes.get(source);
    const to = nodes.get(target);
    if (!from) {
      problems.push({
        code: "dangling_edge",
        edgeId: id,
        path: "source",
        message: `${edgeName(edge)}: there is no block "${source}" to start from`,
      });
    }
    if (!to) {
      problems.push({
        code: "dangling_edge",
        edgeId: id,
        path: "target",
        message: `${edgeName(edge)}: there is no block "${target}" to connect to`,
      });
    }
    if (!from || !to) return;

    const key = JSON.stringify([source, edge.sourceHandle, target, edge.targetHandle]);
    const twin = edgeKeys.get(key);
    if (twin !== undefined) {
      problems.push({
        code: "duplicate_edge",
        edgeId: id,
        message: `${edgeName(edge)} is drawn twice (also as "${twin}"); remove one`,
      });
      return;
    }
    edgeKeys.set(key, id);
    edges.push(edge);

    if (to.type === "source") {
      problems.push({
        code: "edge_into_source",
        edgeId: id,
        nodeId: target,
        message: `${nodeName(to)} is a start block and cannot receive a connection (from "${source}")`,
      });
    }
    if (from.type === "sink") {
      problems.push({
        code: "edge_out_of_sink",
        edgeId: id,
        nodeId: source,
        message: `${nodeName(from)} is an end block and cannot connect onward (to "${target}")`,
      });
    } else if (from.config !== undefined && isBlockType(from.type)) {
      const allowed = allowedSourceHandles(from.type, from.config);
      if (allowed && !allowed.includes(edge.sourceHandle)) {
        const what =
          from.type === "router"
            ? "route handles"
            : from.type === "parallel"
              ? "branches"
              : `outputs (${LOOP_BODY_HANDLE} for the loop body, the unnamed one to continue after the loop)`;
        problems.push({
          code: "unknown_handle",
          edgeId: id,
          nodeId: source,
          path: "sourceHandle",
          message: `${edgeName(edge)} leaves ${nodeName(from)} by ${handleName(edge.sourceHandle)}, which is not one of its ${what}: ${quoteList(allowed)}`,
        });
      }
    }
  });

  const views = [...nodes.values()];
  const adjacency = buildAdjacency(
    views.map((v) => v.id),
    edges,
  );

  // 4. Source and sinks ---------------------------------------------------------------------------
  const sources = views.filter((v) => v.type === "source");
  const sinks = views.filter((v) => v.type === "sink");
  if (sources.length === 0) {
    problems.push({ code: "missing_source", message: "The flow has no start block (source): add one where runs begin" });
  }
  for (const extra of sources.slice(1)) {
    problems.push({
      code: "multiple_sources",
      nodeId: extra.id,
      message: `${nodeName(extra)}: a flow has exactly one start block, and "${sources[0]?.id ?? ""}" is already one`,
    });
  }
  if (sinks.length === 0) {
    problems.push({ code: "missing_sink", message: "The flow has no end block (sink): add one to give runs an output" });
  }

  // 5. Cycles -----------------------------------------------------------------------------------
  const isLoop = (id: string) => nodes.get(id)?.type === "loop";
  for (const component of cyclicComponents(adjacency)) {
    const start = component[0];
    if (start === undefined) continue;
    const cycle = cycleThrough(adjacency, new Set(component), start);
    const path = cycle ? [...cycle.nodes, start].join(" → ") : component.join(", ");
    const hint = component.some(isLoop)
      ? "a loop body ends at blocks without outgoing connections and must not connect back to the loop or before it"
      : "to repeat steps, use a loop block";
    const startView = nodes.get(start);
    problems.push({
      code: "cycle",
      nodeId: start,
      ...(cycle ? { edgeId: cycle.closingEdge.id } : {}),
      message: `${startView ? nodeName(startView) : start} is on a cycle (${path}): a flow cannot go back to an earlier block; ${hint}`,
    });
  }

  // 6. Loops ------------------------------------------------------------------------------------
  const loopBodies = new Map<string, Set<string>>();
  for (const loop of views.filter((v) => v.type === "loop")) {
    const entries = adjacency.outgoing
      .get(loop.id)
      ?.filter((e) => e.sourceHandle === LOOP_BODY_HANDLE)
      .map((e) => e.target);
    const body = reachableFrom(adjacency, entries ?? [], loop.id);
    loopBodies.set(loop.id, body);
    if (body.size === 0) {
      problems.push({
        code: "empty_loop_body",
        nodeId: loop.id,
        message: `${nodeName(loop)} has an empty body: connect its "${LOOP_BODY_HANDLE}" handle to the blocks to repeat`,
      });
    }
    for (const member of body) {
      const view = nodes.get(member);
      if (view?.type === "sink") {
        problems.push({
          code: "sink_in_loop_body",
          nodeId: member,
          message: `${nodeName(view)} is an end block inside the body of loop "${loop.id}"; the loop's result continues from its unnamed output instead`,
        });
      }
      for (const edge of inEdges(adjacency, member)) {
        const fromBody = edge.source === loop.id ? edge.sourceHandle === LOOP_BODY_HANDLE : body.has(edge.source);
        if (fromBody) continue;
        problems.push({
          code: "edge_into_loop_body",
          edgeId: edge.id,
          nodeId: member,
          message: `${edgeName(edge)}: "${member}" is inside the body of loop "${loop.id}" and can only be reached through the loop's "${LOOP_BODY_HANDLE}" handle`,
        });
      }
    }
  }

  // 7. Reachability -----------------------------------------------------------------------------
  if (sources.length > 0) {
    const reached = reachableFrom(
      adjacency,
      sources.map((s) => s.id),
    );
    for (const view of views) {
      if (reached.has(view.id)) continue;
      problems.push({
        code: "unreachable_node",
        nodeId: view.id,
        message: `${nodeName(view)} is not connected to the start block, so it would never run`,
      });
    }
  }

  // 8. Templates --------------------------------------------------------------------------------
  checkTemplates({ views, nodes, adjacency, loopBodies, problems });

  return {
    problems,
    ...(shape.success ? { graph: shape.data } : {}),
    nodes,
    adjacency,
    loopBodies,
  };
}
