import { createContext, useContext } from "react";
import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
  type XYPosition,
} from "@xyflow/react";
import { temporal, type TemporalState } from "zundo";
import { createStore, useStore, type StoreApi } from "zustand";
import { FlowEdge, FlowNode, type BlockType, type FlowProblem } from "@weft/flow";
import { starterConfig } from "./blocks";
import { copySelection, materialize, nextNodeId, type ClipboardGraph } from "./clipboard";
import { freePosition, NEXT_BLOCK_DX } from "./placement";

/** What a canvas node carries: the flow format's `data` (label, config, retry, ...). */
export type BlockData = { label?: string; config?: unknown; [key: string]: unknown };
export type BuilderNode = Node<BlockData>;
export type BuilderEdge = Edge;

export interface FlowState {
  nodes: BuilderNode[];
  edges: BuilderEdge[];
  /** Bumped on every change that belongs in the saved flow (not on selection or measuring). */
  revision: number;
  problems: FlowProblem[];
  onNodesChange: (changes: NodeChange<BuilderNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<BuilderEdge>[]) => void;
  onConnect: (connection: Connection) => void;
  /** Adds a block at (or, when that is taken, next to) `position`, selected; returns its id. */
  addBlock: (type: BlockType, position: XYPosition) => string;
  /** Adds a block right of `from` (free of overlap), connected from its output `handle`: one undo step. */
  addBlockAfter: (type: BlockType, from: { nodeId: string; handle: string | null }) => string | null;
  /** Selects exactly this node (nothing else), e.g. from the problems panel. */
  selectOnly: (id: string) => void;
  /**
   * Consecutive edits of the same thing (by default: the same data keys and config keys, e.g. typing
   * in one field) are one undo step; `coalesce` names it explicitly.
   */
  updateData: (id: string, patch: Partial<BlockData>, options?: { coalesce?: string }) => void;
  replaceGraph: (graph: { nodes: unknown[]; edges: unknown[] }) => void;
  setProblems: (problems: FlowProblem[]) => void;
  undo: () => void;
  redo: () => void;
  selectAll: () => void;
  /** Removes the selected nodes, the selected edges and the edges of removed nodes: one undo step. */
  deleteSelection: () => void;
  /** The selected nodes and the edges between them, for the clipboard (null: nothing selected). */
  copySelection: () => ClipboardGraph | null;
  /** Adds copies with new ids, offset from the originals (further on each paste of the same blocks), selected. */
  paste: (clipboard: ClipboardGraph) => void;
  duplicateSelection: () => void;
}

/** Stored graph -> canvas nodes and edges (unknown keys dropped; an invalid item is kept as it is). */
export function toCanvas(graph: { nodes: unknown[]; edges: unknown[] }): { nodes: BuilderNode[]; edges: BuilderEdge[] } {
  const nodes = graph.nodes.map((raw) => {
    const parsed = FlowNode.safeParse(raw);
    const node = (parsed.success ? parsed.data : raw) as FlowNode;
    return { id: node.id, type: node.type, position: node.position, data: { ...node.data } } satisfies BuilderNode;
  });
  const edges = graph.edges.map((raw) => {
    const parsed = FlowEdge.safeParse(raw);
    const edge = (parsed.success ? parsed.data : raw) as FlowEdge;
    return { id: edge.id, source: edge.source, target: edge.target, sourceHandle: edge.sourceHandle ?? null, targetHandle: edge.targetHandle ?? null };
  });
  return { nodes, edges };
}

/** Canvas -> the flow format (DESIGN.md section 3): only the keys the format defines. */
export function toFlow(state: Pick<FlowState, "nodes" | "edges">): { nodes: FlowNode[]; edges: FlowEdge[] } {
  return {
    nodes: state.nodes.map((node) => {
      const { label, phase, config, retry, timeoutMs } = node.data;
      const data = { label, phase, config, retry, timeoutMs } as FlowNode["data"];
      for (const key of Object.keys(data) as (keyof typeof data)[]) if (data[key] === undefined) delete data[key];
      return { id: node.id, type: node.type ?? "function", position: { x: Math.round(node.position.x), y: Math.round(node.position.y) }, data };
    }),
    edges: state.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: edge.sourceHandle ?? null,
      targetHandle: edge.targetHandle ?? null,
    })),
  };
}

const SAVED_CHANGES = new Set(["add", "remove", "replace", "position"]);
/** Undo steps kept per open flow. */
const HISTORY_LIMIT = 100;

type Graph = Pick<FlowState, "nodes" | "edges">;

/**
 * Whether two snapshots hold the same flow, ignoring what is not saved (selection, measured sizes,
 * dragging flags): such changes never become undo steps. Data objects are replaced on every edit,
 * so comparing them by reference is exact.
 */
export function sameGraph(a: Graph, b: Graph): boolean {
  if (a.nodes !== b.nodes) {
    if (a.nodes.length !== b.nodes.length) return false;
    for (let i = 0; i < a.nodes.length; i++) {
      const x = a.nodes[i]!;
      const y = b.nodes[i]!;
      if (x === y) continue;
      if (x.id !== y.id || x.type !== y.type || x.data !== y.data || x.position.x !== y.position.x || x.position.y !== y.position.y) return false;
    }
  }
  if (a.edges !== b.edges) {
    if (a.edges.length !== b.edges.length) return false;
    for (let i = 0; i < a.edges.length; i++) {
      const x = a.edges[i]!;
      const y = b.edges[i]!;
      if (x === y) continue;
      if (
        x.id !== y.id ||
        x.source !== y.source ||
        x.target !== y.target ||
        (x.sourceHandle ?? null) !== (y.sourceHandle ?? null) ||
        (x.targetHandle ?? null) !== (y.targetHandle ?? null)
      )
        return false;
    }
  }
  return true;
}

/** What a data patch changes, as a stable name ("config.code", "label"), or null when nothing. */
function editedFields(data: BlockData | undefined, patch: Partial<BlockData>): string | null {
  const names: string[] = [];
  for (const key of Object.keys(patch)) {
    const before = data?.[key];
    const after = patch[key];
    if (key === "config" && before && after && typeof before === "object" && typeof after === "object") {
      const a = before as Record<string, unknown>;
      const b = after as Record<string, unknown>;
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[k] !== b[k]) names.push(`config.${k}`);
    } else if (before !== after) names.push(key);
  }
  return names.length > 0 ? names.sort().join(",") : null;
}

const deselect = <T extends { selected?: boolean }>(items: T[]): T[] => items.map((item) => (item.selected ? { ...item, selected: false } : item));

/**
 * The canvas store of one open flow, with undo/redo (zundo) over its nodes and edges:
 * - every change to the saved flow is one step; selection and measuring are not steps;
 * - a drag is one step (history is paused from its first move to its drop);
 * - consecutive edits of the same config field (`updateData(..., { coalesce })`) are one step.
 */
export function createFlowStore(graph: { nodes: unknown[]; edges: unknown[] }) {
  let dragging = false;
  let lastCoalesce: string | null = null;
  let lastPaste = { key: "", times: 0 };
  return createStore<FlowState>()(
    temporal(
      (set, get, api) => {
        const history = () => (api as unknown as { temporal: StoreApi<TemporalState<Graph>> }).temporal.getState();
        /** Ends a drag whose drop never arrived, so history never stays paused. */
        const settle = () => {
          lastCoalesce = null;
          if (dragging) {
            dragging = false;
            history().resume();
          }
        };
        const applyGraph = (graph: Partial<Graph>) => set((s) => ({ ...graph, revision: s.revision + 1 }));
        return {
          ...toCanvas(graph),
          revision: 0,
          problems: [],
          onNodesChange: (changes) => {
            const moves = changes.filter((c) => c.type === "position");
            const dragStart = !dragging && moves.some((c) => c.dragging === true);
            const drop = dragging && moves.some((c) => c.dragging === false);
            if (changes.some((c) => c.type !== "dimensions")) lastCoalesce = null;
            set((s) => ({
              nodes: applyNodeChanges(changes, s.nodes),
              revision: changes.some((c) => SAVED_CHANGES.has(c.type)) ? s.revision + 1 : s.revision,
            }));
            if (dragStart) {
              // The step was recorded (the state before the first move); the rest of the drag joins it.
              dragging = true;
              history().pause();
            } else if (drop) {
              dragging = false;
              history().resume();
            }
          },
          onEdgesChange: (changes) => {
            if (changes.some((c) => c.type !== "select")) settle();
            set((s) => ({
              edges: applyEdgeChanges(changes, s.edges),
              revision: changes.some((c) => SAVED_CHANGES.has(c.type)) ? s.revision + 1 : s.revision,
            }));
          },
          onConnect: (connection) => {
            if (connection.source === connection.target) return;
            settle();
            set((s) => ({ edges: addEdge(connection, s.edges), revision: s.revision + 1 }));
          },
          addBlock: (type, position) => {
            settle();
            const s = get();
            const node: BuilderNode = {
              id: nextNodeId(type, new Set(s.nodes.map((n) => n.id))),
              type,
              position: freePosition(s.nodes, position),
              data: { config: starterConfig(type) },
              selected: true,
            };
            applyGraph({ nodes: [...deselect(s.nodes), node], edges: deselect(s.edges) });
            return node.id;
          },
          addBlockAfter: (type, from) => {
            const s = get();
            const source = s.nodes.find((n) => n.id === from.nodeId);
            if (!source) return null;
            settle();
            const node: BuilderNode = {
              id: nextNodeId(type, new Set(s.nodes.map((n) => n.id))),
              type,
              position: freePosition(s.nodes, { x: source.position.x + NEXT_BLOCK_DX, y: source.position.y }),
              data: { config: starterConfig(type) },
              selected: true,
            };
            const edges = addEdge({ source: source.id, sourceHandle: from.handle, target: node.id, targetHandle: null }, deselect(s.edges));
            applyGraph({ nodes: [...deselect(s.nodes), node], edges });
            return node.id;
          },
          selectOnly: (id) =>
            set((s) => ({
              nodes: s.nodes.map((n) => (n.id === id ? (n.selected ? n : { ...n, selected: true }) : n.selected ? { ...n, selected: false } : n)),
              edges: deselect(s.edges),
            })),
          updateData: (id, patch, options) => {
            const what = options?.coalesce ?? editedFields(get().nodes.find((n) => n.id === id)?.data, patch);
            const key = what === null ? null : `${id}:${what}`;
            const merge = key !== null && key === lastCoalesce && !dragging;
            if (!merge) settle();
            if (merge) history().pause();
            applyGraph({ nodes: get().nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, ...patch } } : n)) });
            if (merge) history().resume();
            lastCoalesce = key;
          },
          replaceGraph: (next) => {
            settle();
            set((s) => ({ ...toCanvas(next), problems: [], revision: s.revision + 1 }));
            history().clear();
          },
          setProblems: (problems) => set({ problems }),
          undo: () => {
            settle();
            if (history().pastStates.length === 0) return;
            history().undo();
            set((s) => ({ revision: s.revision + 1 }));
          },
          redo: () => {
            settle();
            if (history().futureStates.length === 0) return;
            history().redo();
            set((s) => ({ revision: s.revision + 1 }));
          },
          selectAll: () => set((s) => ({ nodes: s.nodes.map((n) => ({ ...n, selected: true })), edges: s.edges.map((e) => ({ ...e, selected: true })) })),
          deleteSelection: () => {
            const s = get();
            const removed = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
            const edges = s.edges.filter((e) => !e.selected && !removed.has(e.source) && !removed.has(e.target));
            if (removed.size === 0 && edges.length === s.edges.length) return;
            settle();
            applyGraph({ nodes: s.nodes.filter((n) => !removed.has(n.id)), edges });
          },
          copySelection: () => copySelection(get().nodes, get().edges),
          paste: (clipboard) => {
            settle();
            const key = JSON.stringify(clipboard);
            lastPaste = { key, times: lastPaste.key === key ? lastPaste.times + 1 : 1 };
            const s = get();
            const added = materialize(clipboard, s.nodes, lastPaste.times);
            applyGraph({ nodes: [...deselect(s.nodes), ...added.nodes], edges: [...deselect(s.edges), ...added.edges] });
          },
          duplicateSelection: () => {
            const s = get();
            const copied = copySelection(s.nodes, s.edges);
            if (!copied) return;
            settle();
            const added = materialize(copied, s.nodes);
            applyGraph({ nodes: [...deselect(s.nodes), ...added.nodes], edges: [...deselect(s.edges), ...added.edges] });
          },
        };
      },
      { partialize: (s): Graph => ({ nodes: s.nodes, edges: s.edges }), equality: sameGraph, limit: HISTORY_LIMIT },
    ),
  );
}

export type FlowStore = ReturnType<typeof createFlowStore>;

export const FlowStoreContext = createContext<FlowStore | null>(null);

/** The builder's store (one per open flow). */
export function useFlowStoreApi(): FlowStore {
  const store = useContext(FlowStoreContext);
  if (!store) throw new Error("useFlowStore outside <FlowStoreContext>");
  return store;
}

/** Reads the builder's store with a selector. */
export function useFlowStore<T>(selector: (state: FlowState) => T): T {
  return useStore(useFlowStoreApi(), selector);
}

/** Whether there is something to undo or redo. */
export function useFlowHistory(): { canUndo: boolean; canRedo: boolean } {
  const store = useFlowStoreApi();
  const canUndo = useStore(store.temporal, (s) => s.pastStates.length > 0);
  const canRedo = useStore(store.temporal, (s) => s.futureStates.length > 0);
  return { canUndo, canRedo };
}
