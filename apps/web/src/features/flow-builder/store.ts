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
import { createStore, useStore, type StoreApi } from "zustand";
import { FlowEdge, FlowNode, type BlockType, type FlowProblem } from "@weft/flow";
import { starterConfig } from "./blocks";

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
  addBlock: (type: BlockType, position: XYPosition) => void;
  updateData: (id: string, patch: Partial<BlockData>) => void;
  replaceGraph: (graph: { nodes: unknown[]; edges: unknown[] }) => void;
  setProblems: (problems: FlowProblem[]) => void;
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

function nextId(type: string, nodes: BuilderNode[]): string {
  const taken = new Set(nodes.map((n) => n.id));
  for (let i = 1; ; i++) {
    const id = `${type}_${i}`;
    if (!taken.has(id)) return id;
  }
}

const SAVED_CHANGES = new Set(["add", "remove", "replace", "position"]);

export function createFlowStore(graph: { nodes: unknown[]; edges: unknown[] }): StoreApi<FlowState> {
  return createStore<FlowState>()((set) => ({
    ...toCanvas(graph),
    revision: 0,
    problems: [],
    onNodesChange: (changes) =>
      set((s) => ({
        nodes: applyNodeChanges(changes, s.nodes),
        revision: changes.some((c) => SAVED_CHANGES.has(c.type)) ? s.revision + 1 : s.revision,
      })),
    onEdgesChange: (changes) =>
      set((s) => ({
        edges: applyEdgeChanges(changes, s.edges),
        revision: changes.some((c) => SAVED_CHANGES.has(c.type)) ? s.revision + 1 : s.revision,
      })),
    onConnect: (connection) =>
      set((s) => {
        if (connection.source === connection.target) return s;
        return { edges: addEdge(connection, s.edges), revision: s.revision + 1 };
      }),
    addBlock: (type, position) =>
      set((s) => {
        const node: BuilderNode = { id: nextId(type, s.nodes), type, position, data: { config: starterConfig(type) }, selected: true };
        return { nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], revision: s.revision + 1 };
      }),
    updateData: (id, patch) =>
      set((s) => ({
        nodes: s.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, ...patch } } : n)),
        revision: s.revision + 1,
      })),
    replaceGraph: (next) => set((s) => ({ ...toCanvas(next), problems: [], revision: s.revision + 1 })),
    setProblems: (problems) => set({ problems }),
  }));
}

export const FlowStoreContext = createContext<StoreApi<FlowState> | null>(null);

/** Reads the builder's store (one per open flow) with a selector. */
export function useFlowStore<T>(selector: (state: FlowState) => T): T {
  const store = useContext(FlowStoreContext);
  if (!store) throw new Error("useFlowStore outside <FlowStoreContext>");
  return useStore(store, selector);
}
