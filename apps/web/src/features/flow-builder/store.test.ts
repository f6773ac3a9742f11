import { describe, expect, it } from "vitest";
import type { NodeChange } from "@xyflow/react";
import { parseClipboard, serializeClipboard } from "./clipboard";
import { createFlowStore, type BuilderNode } from "./store";

const graph = () => ({
  nodes: [
    { id: "start", type: "source", position: { x: 0, y: 0 }, data: { config: {} } },
    { id: "double", type: "function", position: { x: 200, y: 0 }, data: { config: { code: "return input * 2;" } } },
    { id: "end", type: "sink", position: { x: 400, y: 0 }, data: { config: {} } },
  ],
  edges: [
    { id: "e1", source: "start", target: "double", sourceHandle: null, targetHandle: null },
    { id: "e2", source: "double", target: "end", sourceHandle: null, targetHandle: null },
  ],
});

const ids = (items: { id: string }[]) => items.map((i) => i.id);
const byId = (nodes: BuilderNode[], id: string) => nodes.find((n) => n.id === id)!;
const history = (store: ReturnType<typeof createFlowStore>) => store.temporal.getState();
const select = (store: ReturnType<typeof createFlowStore>, ...nodeIds: string[]) =>
  store.getState().onNodesChange(store.getState().nodes.map((n): NodeChange<BuilderNode> => ({ type: "select", id: n.id, selected: nodeIds.includes(n.id) })));

describe("flow store undo/redo", () => {
  it("undoes and redoes an added block, bumping the revision each time so autosave runs", () => {
    const store = createFlowStore(graph());
    store.getState().addBlock("delay", { x: 10, y: 10 });
    expect(ids(store.getState().nodes)).toEqual(["start", "double", "end", "delay_1"]);
    const afterAdd = store.getState().revision;

    store.getState().undo();
    expect(ids(store.getState().nodes)).toEqual(["start", "double", "end"]);
    expect(store.getState().revision).toBeGreaterThan(afterAdd);

    store.getState().redo();
    expect(ids(store.getState().nodes)).toEqual(["start", "double", "end", "delay_1"]);
    expect(history(store).futureStates).toHaveLength(0);
  });

  it("undoes a new connection", () => {
    const store = createFlowStore({ nodes: graph().nodes, edges: [] });
    store.getState().onConnect({ source: "start", target: "double", sourceHandle: null, targetHandle: null });
    expect(store.getState().edges).toHaveLength(1);
    store.getState().undo();
    expect(store.getState().edges).toHaveLength(0);
    store.getState().redo();
    expect(store.getState().edges.map((e) => [e.source, e.target])).toEqual([["start", "double"]]);
  });

  it("does not record selection, measuring or select-all as steps", () => {
    const store = createFlowStore(graph());
    const revision = store.getState().revision;
    select(store, "double");
    store.getState().onNodesChange([{ type: "dimensions", id: "double", dimensions: { width: 180, height: 60 }, setAttributes: true }]);
    store.getState().selectAll();
    expect(store.getState().nodes.every((n) => n.selected)).toBe(true);
    expect(history(store).pastStates).toHaveLength(0);
    expect(store.getState().revision).toBe(revision);
  });

  it("records a whole drag as one step", () => {
    const store = createFlowStore(graph());
    const move = (x: number, dragging: boolean) => store.getState().onNodesChange([{ type: "position", id: "double", position: { x, y: 0 }, dragging }]);
    move(210, true);
    move(260, true);
    move(300, true);
    move(300, false);
    expect(byId(store.getState().nodes, "double").position.x).toBe(300);
    expect(history(store).pastStates).toHaveLength(1);

    store.getState().undo();
    expect(byId(store.getState().nodes, "double").position.x).toBe(200);
    // Tracking resumed after the drop: the next change is a step of its own.
    store.getState().addBlock("delay", { x: 0, y: 0 });
    expect(history(store).pastStates).toHaveLength(1);
  });

  it("merges consecutive edits of one config field into one step, and starts a new one for another field", () => {
    const store = createFlowStore(graph());
    for (const code of ["r", "re", "return 1;"]) store.getState().updateData("double", { config: { code } }, { coalesce: "config.code" });
    expect(history(store).pastStates).toHaveLength(1);
    store.getState().updateData("double", { label: "Double" }, { coalesce: "label" });
    expect(history(store).pastStates).toHaveLength(2);

    store.getState().undo();
    expect(byId(store.getState().nodes, "double").data).toEqual({ config: { code: "return 1;" } });
    store.getState().undo();
    expect(byId(store.getState().nodes, "double").data).toEqual({ config: { code: "return input * 2;" } });
  });

  it("merges typing in one field without being told which (the config form's edits)", () => {
    const store = createFlowStore(graph());
    for (const code of ["r", "re", "return 1;"]) store.getState().updateData("double", { config: { code } });
    store.getState().updateData("double", { label: "D" });
    store.getState().updateData("double", { label: "Double" });
    expect(history(store).pastStates).toHaveLength(2);
    // Selecting another block ends the run of edits.
    select(store, "start");
    select(store, "double");
    store.getState().updateData("double", { label: "Double it" });
    expect(history(store).pastStates).toHaveLength(3);
  });

  it("deletes the selection with its edges in one step, and undo brings all of it back", () => {
    const store = createFlowStore(graph());
    select(store, "double");
    store.getState().deleteSelection();
    expect(ids(store.getState().nodes)).toEqual(["start", "end"]);
    expect(store.getState().edges).toHaveLength(0);
    store.getState().undo();
    expect(ids(store.getState().nodes)).toEqual(["start", "double", "end"]);
    expect(ids(store.getState().edges)).toEqual(["e1", "e2"]);
  });

  it("clears the history when the graph is replaced (reload after a conflict)", () => {
    const store = createFlowStore(graph());
    store.getState().addBlock("delay", { x: 0, y: 0 });
    store.getState().replaceGraph(graph());
    expect(history(store).pastStates).toHaveLength(0);
  });
});

describe("flow store copy and paste", () => {
  it("pastes copies of two connected blocks with new ids, the edge between them, offset and selected", () => {
    const store = createFlowStore(graph());
    select(store, "start", "double");
    const copied = store.getState().copySelection()!;
    expect(ids(copied.nodes)).toEqual(["start", "double"]);
    expect(ids(copied.edges)).toEqual(["e1"]); // not e2: "end" was not copied

    // Through the clipboard's text, as between two flows.
    const text = serializeClipboard(copied);
    const pasted = parseClipboard(text)!;
    store.getState().paste(pasted);
    const state = store.getState();
    expect(ids(state.nodes)).toEqual(["start", "double", "end", "source_1", "function_1"]);
    const edge = state.edges.at(-1)!;
    expect([edge.source, edge.target]).toEqual(["source_1", "function_1"]);
    expect(state.edges).toHaveLength(3);
    expect(byId(state.nodes, "function_1").position).toEqual({ x: 240, y: 40 });
    expect(byId(state.nodes, "function_1").data).toEqual({ config: { code: "return input * 2;" } });
    expect(state.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(["source_1", "function_1"]);

    // Pasting the same blocks again lands further away; each paste is one step.
    store.getState().paste(parseClipboard(text)!);
    expect(byId(store.getState().nodes, "function_2").position).toEqual({ x: 280, y: 80 });
    store.getState().undo();
    store.getState().undo();
    expect(ids(store.getState().nodes)).toEqual(["start", "double", "end"]);
    expect(store.getState().edges).toHaveLength(2);
  });

  it("duplicates the selection", () => {
    const store = createFlowStore(graph());
    select(store, "double", "end");
    store.getState().duplicateSelection();
    const state = store.getState();
    expect(ids(state.nodes)).toEqual(["start", "double", "end", "function_1", "sink_1"]);
    expect(state.edges.map((e) => [e.source, e.target])).toContainEqual(["function_1", "sink_1"]);
  });

  it("copies nothing without a selection, and pastes nothing but Weft blocks", () => {
    const store = createFlowStore(graph());
    expect(store.getState().copySelection()).toBeNull();
    expect(parseClipboard("hello")).toBeNull();
    expect(parseClipboard(JSON.stringify({ nodes: [], edges: [] }))).toBeNull();
    expect(parseClipboard(serializeClipboard({ nodes: [{ id: "bad id!", type: "function", position: { x: 0, y: 0 }, data: {} }], edges: [] }))).toBeNull();
  });
});

describe("adding blocks without overlap", () => {
  it("adds the next block right of its source, connected from the chosen handle, in one undo step", () => {
    const store = createFlowStore(graph());
    const id = store.getState().addBlockAfter("delay", { nodeId: "double", handle: null });
    expect(id).toBe("delay_1");
    const added = byId(store.getState().nodes, "delay_1");
    expect(added.position.x).toBeGreaterThan(200);
    expect(added.selected).toBe(true);
    expect(store.getState().edges.some((e) => e.source === "double" && e.target === "delay_1")).toBe(true);
    // "end" sits at x 400 on the same row: the new block is not put on top of it.
    const end = byId(store.getState().nodes, "end");
    const overlaps = Math.abs(added.position.x - end.position.x) < 224 && Math.abs(added.position.y - end.position.y) < 96;
    expect(overlaps).toBe(false);
    store.getState().undo();
    expect(ids(store.getState().nodes)).toEqual(["start", "double", "end"]);
    expect(store.getState().edges.some((e) => e.target === "delay_1")).toBe(false);
  });

  it("two blocks dropped at the same point do not overlap", () => {
    const store = createFlowStore(graph());
    store.getState().addBlock("delay", { x: 1000, y: 0 });
    store.getState().addBlock("delay", { x: 1000, y: 0 });
    const [a, b] = [byId(store.getState().nodes, "delay_1"), byId(store.getState().nodes, "delay_2")];
    expect(a.position).toEqual({ x: 1000, y: 0 });
    expect(Math.abs(a.position.y - b.position.y) >= 96 || Math.abs(a.position.x - b.position.x) >= 224).toBe(true);
  });

  it("selectOnly selects one node and clears the rest", () => {
    const store = createFlowStore(graph());
    select(store, "start", "end");
    const before = store.getState().revision;
    store.getState().selectOnly("double");
    expect(store.getState().nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(["double"]);
    expect(store.getState().revision).toBe(before);
  });
});
