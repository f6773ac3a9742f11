"use client";

import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useRef, useState, type DragEvent } from "react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  SelectionMode,
  useReactFlow,
  type DefaultEdgeOptions,
  type NodeTypes,
} from "@xyflow/react";
import { TRPCClientError } from "@trpc/client";
import { blockTypes, type BlockType } from "@weft/flow";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { LiveExecution } from "@/features/live-canvas/live-execution";
import { FlowTriggers } from "@/features/triggers/flow-triggers";
import { useTRPCClient, type RouterOutputs } from "@/trpc/client";
import { paletteEntries } from "./blocks";
import { BlockNode } from "./block-node";
import { BuilderToolbar } from "./builder-toolbar";
import { ConfigForm } from "./config-form";
import { FlowVersions } from "./flow-versions";
import { RunDialog } from "./run-dialog";
import { createFlowStore, FlowStoreContext, toFlow, useFlowStore, type FlowState } from "./store";
import type { StoreApi } from "zustand";

type Flow = RouterOutputs["flows"]["byId"];

// Module scope (React Flow re-renders every node when these change identity).
const nodeTypes: NodeTypes = Object.fromEntries(blockTypes.map((type) => [type, BlockNode]));
const defaultEdgeOptions: DefaultEdgeOptions = { type: "smoothstep" };
// Delete/Backspace, copy/paste, undo/redo: use-shortcuts.ts (one undo step per action).
const MULTI_SELECT_KEYS = ["Meta", "Control"];
const AUTOSAVE_MS = 800;
const DRAG_TYPE = "application/x-weft-block";

type SavePhase = "idle" | "saving" | "error" | "conflict";

/** The flow builder: palette, canvas, config panel, autosave, validate and run. */
export function FlowBuilder({ workspaceId, flow, canEdit }: { workspaceId: string; flow: Flow; canEdit: boolean }) {
  // `?node=<id>` (a run page's "Open in builder"): that node starts selected, its settings open.
  const focus = useSearchParams().get("node");
  const [store] = useState(() => {
    const created = createFlowStore({ nodes: flow.nodes, edges: flow.edges });
    if (focus) created.getState().onNodesChange([{ type: "select", id: focus, selected: true }]);
    return created;
  });
  return (
    <FlowStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <Builder workspaceId={workspaceId} flow={flow} canEdit={canEdit} store={store} />
      </ReactFlowProvider>
    </FlowStoreContext.Provider>
  );
}

function Builder({ workspaceId, flow, canEdit, store }: { workspaceId: string; flow: Flow; canEdit: boolean; store: StoreApi<FlowState> }) {
  const client = useTRPCClient();
  const { screenToFlowPosition } = useReactFlow();
  const canvasRef = useRef<HTMLDivElement>(null);

  const nodes = useFlowStore((s) => s.nodes);
  const edges = useFlowStore((s) => s.edges);
  const revision = useFlowStore((s) => s.revision);
  const problems = useFlowStore((s) => s.problems);
  const onNodesChange = useFlowStore((s) => s.onNodesChange);
  const onEdgesChange = useFlowStore((s) => s.onEdgesChange);
  const onConnect = useFlowStore((s) => s.onConnect);
  const addBlock = useFlowStore((s) => s.addBlock);
  const updateData = useFlowStore((s) => s.updateData);
  const selected = nodes.find((n) => n.selected) ?? null;

  // --- Autosave: debounced, one save at a time, against the version last read (409 = conflict).
  const versionRef = useRef(flow.version);
  const inFlight = useRef<Promise<void> | null>(null);
  const [savedRevision, setSavedRevision] = useState(0);
  const [phase, setPhase] = useState<SavePhase>("idle");
  const [saveError, setSaveError] = useState<string | null>(null);

  const saveNow = useCallback(async (): Promise<boolean> => {
    while (inFlight.current) await inFlight.current;
    const state = store.getState();
    const rev = state.revision;
    let ok = false;
    const run = (async () => {
      setPhase("saving");
      try {
        const saved = await client.flows.update.mutate({ workspaceId, flowId: flow.id, version: versionRef.current, ...toFlow(state) });
        versionRef.current = saved.version;
        setSavedRevision(rev);
        setPhase("idle");
        setSaveError(null);
        ok = true;
      } catch (error) {
        if (error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "CONFLICT") setPhase("conflict");
        else {
          setPhase("error");
          setSaveError(error instanceof Error ? error.message : "Save failed");
        }
      }
    })();
    inFlight.current = run;
    await run;
    inFlight.current = null;
    return ok;
  }, [client, store, workspaceId, flow.id]);

  const dirty = revision !== savedRevision;
  useEffect(() => {
    if (!canEdit || !dirty || phase === "conflict") return;
    const timer = setTimeout(() => void saveNow(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [canEdit, dirty, phase, revision, saveNow]);

  const flush = useCallback(async () => (store.getState().revision === savedRevision ? true : saveNow()), [store, savedRevision, saveNow]);

  const reload = async () => {
    const current = await client.flows.byId.query({ workspaceId, flowId: flow.id });
    versionRef.current = current.version;
    store.getState().replaceGraph({ nodes: current.nodes, edges: current.edges });
    setSavedRevision(store.getState().revision);
    setPhase("idle");
  };
  const overwrite = async () => {
    const current = await client.flows.byId.query({ workspaceId, flowId: flow.id });
    versionRef.current = current.version;
    setPhase("idle");
    await saveNow();
  };

  // --- Palette: drag onto the canvas, or click to add in the middle of the view.
  const addAtCenter = (type: BlockType) => {
    const rect = canvasRef.current?.getBoundingClientRect();
    const position = rect ? screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }) : { x: 0, y: 0 };
    addBlock(type, position);
  };
  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  };
  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(DRAG_TYPE);
    if (!(blockTypes as readonly string[]).includes(type)) return;
    event.preventDefault();
    addBlock(type as BlockType, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
  };

  // --- Validate and run.
  const [validating, setValidating] = useState(false);
  const [validation, setValidation] = useState<{ ok: boolean; count: number } | null>(null);
  const validate = async () => {
    setValidating(true);
    try {
      if (!(await flush())) return;
      const result = await client.flows.validate.query({ workspaceId, flowId: flow.id });
      store.getState().setProblems(result.problems);
      setValidation({ ok: result.ok, count: result.problems.length });
    } finally {
      setValidating(false);
    }
  };
  const [running, setRunning] = useState(false);
  /** The run started here last: while set, the canvas shows it live and editing is off. */
  const [lastRun, setLastRun] = useState<string | null>(null);

  const status =
    phase === "conflict" ? "Conflict" : phase === "saving" ? "Saving…" : phase === "error" ? "Save failed" : dirty ? "Unsaved changes" : "Saved";

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 items-center gap-3">
          <Link href={`/w/${workspaceId}/flows`} className="text-sm text-muted-foreground hover:text-foreground">
            Flows
          </Link>
          <span className="text-muted-foreground">/</span>
          <h1 className="truncate text-lg font-semibold">{flow.name}</h1>
          {canEdit ? (
            <span
              role="status"
              aria-label="Save status"
              className={cn(
                "rounded-full border px-2 py-0.5 text-xs",
                phase === "conflict" || phase === "error" ? "border-destructive/40 text-destructive" : "border-border text-muted-foreground",
              )}
            >
              {status}
            </span>
          ) : (
            <span className="rounded-full border border-border px-2 py-0.5 text-xs text-muted-foreground">Read only</span>
          )}
        </div>
        <div className="flex items-center gap-2">
          {/* Editing (and its shortcuts) is off while the canvas shows a run live. */}
          <BuilderToolbar canEdit={canEdit && lastRun === null} onSave={() => void flush()} />
          <FlowVersions workspaceId={workspaceId} flowId={flow.id} canEdit={canEdit} publishedVersion={flow.publishedVersion} flush={flush} />
          <Button type="button" variant="outline" size="sm" pending={validating} onClick={() => void validate()}>
            Validate
          </Button>
          {canEdit ? (
            <Button type="button" size="sm" onClick={() => setRunning(true)}>
              Run
            </Button>
          ) : null}
        </div>
      </div>

      {phase === "conflict" ? (
        <Alert variant="error" title="This flow was changed elsewhere">
          <p>Someone saved a newer version. Reload it (your changes here are dropped), or overwrite it with yours.</p>
          <div className="mt-2 flex gap-2">
            <Button type="button" size="sm" variant="outline" onClick={() => void reload()}>
              Reload
            </Button>
            <Button type="button" size="sm" variant="destructive" onClick={() => void overwrite()}>
              Overwrite
            </Button>
          </div>
        </Alert>
      ) : null}
      {phase === "error" && saveError ? <Alert variant="error" title="Could not save">{saveError}</Alert> : null}
      {validation ? (
        validation.ok ? (
          <Alert variant="info">The flow is valid.</Alert>
        ) : (
          <Alert variant="error" title={`${validation.count} problem${validation.count === 1 ? "" : "s"}`}>
            <ul className="list-disc pl-4">
              {problems.map((p, i) => (
                <li key={i}>{p.message}</li>
              ))}
            </ul>
          </Alert>
        )
      ) : null}
      {/* After Run: the canvas becomes the run's live view; the editor stays mounted (hidden) for "Back to editing". */}
      {lastRun ? (
        <LiveExecution
          key={lastRun}
          workspaceId={workspaceId}
          executionId={lastRun}
          canAct={canEdit}
          onExit={() => setLastRun(null)}
          className="h-[calc(100dvh-14rem)] min-h-[480px]"
        />
      ) : null}
      <div className={cn("flex h-[calc(100dvh-12rem)] min-h-[480px] overflow-hidden rounded-lg border border-border", lastRun && "hidden")}>
        {canEdit ? (
          <nav aria-label="Blocks" className="flex w-40 shrink-0 flex-col gap-1 overflow-y-auto border-r border-border bg-muted/30 p-2">
            <p className="px-1 pb-1 text-xs font-medium text-muted-foreground">Drag or click to add</p>
            {paletteEntries.map((entry) => (
              <button
                key={entry.type}
                type="button"
                draggable
                title={entry.description}
                data-block-type={entry.type}
                onDragStart={(event) => {
                  event.dataTransfer.setData(DRAG_TYPE, entry.type);
                  event.dataTransfer.effectAllowed = "move";
                }}
                onClick={() => addAtCenter(entry.type)}
                className="cursor-grab rounded-md border border-border bg-card px-2 py-1.5 text-left text-sm hover:bg-accent"
              >
                {entry.label}
              </button>
            ))}
          </nav>
        ) : null}
        <div ref={canvasRef} className="relative min-w-0 flex-1" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            defaultEdgeOptions={defaultEdgeOptions}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            nodesDraggable={canEdit}
            nodesConnectable={canEdit}
            deleteKeyCode={null}
            selectionKeyCode="Shift"
            multiSelectionKeyCode={MULTI_SELECT_KEYS}
            selectionMode={SelectionMode.Partial}
            fitView
            fitViewOptions={{ maxZoom: 1 }}
          >
            <Background />
            <MiniMap pannable zoomable />
            <Controls />
          </ReactFlow>
        </div>
        <aside aria-label="Block settings" className="w-72 shrink-0 overflow-y-auto border-l border-border p-3">
          {selected ? (
            <ConfigForm key={selected.id} node={selected} readOnly={!canEdit} onChange={(patch) => updateData(selected.id, patch)} />
          ) : (
            <div className="flex flex-col gap-4">
              <p className="text-sm text-muted-foreground">Select a block to configure it.</p>
              <FlowTriggers workspaceId={workspaceId} flowId={flow.id} canEdit={canEdit} />
            </div>
          )}
        </aside>
      </div>

      <RunDialog
        open={running}
        onClose={() => setRunning(false)}
        source={nodes.find((n) => n.type === "source")?.data.config}
        onRun={async (input) => {
          if (!(await flush())) throw new Error("Save the flow before running it");
          const { executionId } = await client.executions.start.mutate({ workspaceId, flowId: flow.id, input });
          // Live view: nothing stays selected in the hidden editor, so no key edits it meanwhile.
          const { nodes: current, edges: currentEdges } = store.getState();
          store.getState().onNodesChange(current.filter((n) => n.selected).map((n) => ({ type: "select", id: n.id, selected: false })));
          store.getState().onEdgesChange(currentEdges.filter((e) => e.selected).map((e) => ({ type: "select", id: e.id, selected: false })));
          setLastRun(executionId);
          setRunning(false);
        }}
      />
    </div>
  );
}
