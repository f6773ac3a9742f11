"use client";

import "@xyflow/react/dist/style.css";
import { useCallback, useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { ReactFlowProvider, useReactFlow, type XYPosition } from "@xyflow/react";
import { useHotkeys } from "react-hotkeys-hook";
import { CalendarClock, Play } from "lucide-react";
import type { BlockType, FlowProblem } from "@weft/flow";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { LiveExecution } from "@/features/live-canvas/live-execution";
import { useTRPC, useTRPCClient, type RouterOutputs } from "@/trpc/client";
import { BlockPalette } from "./block-palette";
import { BuilderActionsContext, type BuilderActions } from "./builder-context";
import { BuilderCanvas } from "./builder-canvas";
import { BuilderToolbar } from "./builder-toolbar";
import { blockTitle } from "./blocks";
import { ConfigForm } from "./config-form";
import { FlowTitle } from "./flow-title";
import { FlowVersions } from "./flow-versions";
import { Inspector, type InspectorTab } from "./inspector";
import { NodeMenu } from "./node-menu";
import { OutputTab } from "./output-tab";
import { TestPanel } from "@/features/block-test/test-panel";
import { upstreamInputSchema } from "@/features/block-test/upstream-schema";
import { ProblemsPanel } from "./problems-panel";
import { QuickAdd } from "./quick-add";
import { RunDialog } from "./run-dialog";
import { createFlowStore, FlowStoreContext, useFlowStore, type FlowStore } from "./store";
import { TriggerSheet } from "./trigger-sheet";
import { useAutosave } from "./use-autosave";
import { variablesFor, type Variable } from "./variables";

type Flow = RouterOutputs["flows"]["byId"];

/** Where quick add puts its block: at a point of the canvas, or after an output (connected). */
type QuickAddTarget = { at: XYPosition } | { after: { nodeId: string; handle: string | null } };

/** The element of a config field (`cfg-<node>-<key>`) to focus: the control itself, or the editor inside. */
function focusField(nodeId: string, path: string | undefined) {
  const key = path?.startsWith("config.") ? path.slice("config.".length).split(/[.[]/)[0] : path === "label" ? "label" : null;
  const el = document.getElementById(key ? `cfg-${nodeId}-${key}` : `cfg-${nodeId}-label`);
  const target = el?.matches("input, textarea, select, button") ? el : el?.querySelector<HTMLElement>(".cm-content, input, textarea, select, button");
  target?.focus();
}

/** The same array as last time while its content is the same (so editors keep their setup across keystrokes). */
function useStableVariables(next: Variable[]): Variable[] {
  const key = JSON.stringify(next);
  return useMemo(() => JSON.parse(key) as Variable[], [key]);
}

/** The flow builder: header, palette, canvas, inspector, autosave, validate and run. */
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

function Builder({ workspaceId, flow, canEdit, store }: { workspaceId: string; flow: Flow; canEdit: boolean; store: FlowStore }) {
  const client = useTRPCClient();
  const { screenToFlowPosition, getNode, setCenter } = useReactFlow();
  const save = useAutosave({ store, workspaceId, flowId: flow.id, version: flow.version, name: flow.name, canEdit });
  const { phase, dirty, flush } = save;

  const trpc = useTRPC();
  const nodes = useFlowStore((s) => s.nodes);
  const edges = useFlowStore((s) => s.edges);
  const problems = useFlowStore((s) => s.problems);
  const updateData = useFlowStore((s) => s.updateData);
  const selected = useMemo(() => nodes.find((n) => n.selected) ?? null, [nodes]);

  /** The run started here last: while `live`, the canvas shows it and editing is off; its data stays for the Output tab. */
  const [lastRun, setLastRun] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [liveNodeId, setLiveNodeId] = useState<string | null>(null);
  const [tab, setTab] = useState<InspectorTab>("config");
  const [quickAdd, setQuickAdd] = useState<QuickAddTarget | null>(null);
  const [menu, setMenu] = useState<{ nodeId: string; at: { x: number; y: number } } | null>(null);
  const [triggers, setTriggers] = useState(false);
  const [running, setRunning] = useState(false);
  const editing = canEdit && !live;

  const deselectAll = useCallback(() => {
    const s = store.getState();
    s.onNodesChange(s.nodes.filter((n) => n.selected).map((n) => ({ type: "select", id: n.id, selected: false })));
    s.onEdgesChange(s.edges.filter((e) => e.selected).map((e) => ({ type: "select", id: e.id, selected: false })));
  }, [store]);

  const centerOfView = useCallback((): XYPosition => {
    const rect = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    return rect ? screenToFlowPosition({ x: rect.left + rect.width / 2 - 112, y: rect.top + rect.height / 2 - 48 }) : { x: 0, y: 0 };
  }, [screenToFlowPosition]);

  const actions = useMemo<BuilderActions>(
    () => ({
      workspaceId,
      flowId: flow.id,
      canEdit: editing,
      addAfter: (nodeId, handle) => setQuickAdd({ after: { nodeId, handle } }),
      openTriggers: () => setTriggers(true),
      openMenu: (nodeId, at) => setMenu({ nodeId, at }),
      duplicate: (nodeId) => {
        store.getState().selectOnly(nodeId);
        store.getState().duplicateSelection();
      },
      remove: (nodeId) => {
        store.getState().selectOnly(nodeId);
        store.getState().deleteSelection();
      },
    }),
    [workspaceId, flow.id, editing, store],
  );

  const pickBlock = (type: BlockType) => {
    if (!quickAdd) return;
    setQuickAdd(null);
    setTab("config");
    if ("after" in quickAdd) store.getState().addBlockAfter(type, quickAdd.after);
    else store.getState().addBlock(type, quickAdd.at);
  };

  // Keyboard paths for the canvas actions (the rest: use-shortcuts.ts).
  const noDialog = () => document.querySelector("dialog[open]") !== null;
  useHotkeys("slash", () => setQuickAdd({ at: centerOfView() }), { enabled: editing, preventDefault: true, ignoreEventWhen: noDialog }, [editing, centerOfView]);
  useHotkeys(
    "shift+f10, contextmenu",
    () => {
      const node = store.getState().nodes.find((n) => n.selected);
      const box = node ? document.querySelector(`[data-testid="block-${node.id}"]`)?.getBoundingClientRect() : null;
      if (node && box) setMenu({ nodeId: node.id, at: { x: box.left, y: box.bottom + 4 } });
    },
    { enabled: editing, preventDefault: true, ignoreEventWhen: noDialog },
    [editing, store],
  );
  useHotkeys("escape", deselectAll, { enabled: !live, ignoreEventWhen: noDialog }, [deselectAll, live]);

  // --- Validate: problems float over the canvas; picking one selects its block and focuses its field.
  const [validating, setValidating] = useState(false);
  const [validation, setValidation] = useState<{ ok: boolean } | null>(null);
  const validate = async () => {
    setValidating(true);
    try {
      if (!(await flush())) return;
      const result = await client.flows.validate.query({ workspaceId, flowId: flow.id });
      store.getState().setProblems(result.problems);
      setValidation({ ok: result.ok });
    } finally {
      setValidating(false);
    }
  };
  const pickProblem = (problem: FlowProblem) => {
    if (!problem.nodeId || live) return;
    store.getState().selectOnly(problem.nodeId);
    setTab("config");
    const node = getNode(problem.nodeId);
    if (node) void setCenter(node.position.x + 112, node.position.y + 48, { duration: 200, zoom: 1 });
    // After the inspector has rendered the node's form.
    setTimeout(() => focusField(problem.nodeId!, problem.path), 50);
  };

  const status = phase === "conflict" ? "Conflict" : phase === "saving" ? "Saving…" : phase === "error" ? "Save failed" : dirty ? "Unsaved changes" : "Saved";
  // Outputs of the last run started here: the variable picker offers their fields.
  const lastRunQuery = useQuery({ ...trpc.executions.byId.queryOptions({ workspaceId, executionId: lastRun ?? "" }), enabled: lastRun !== null });
  const lastOutputs = useMemo(
    () => new Map((lastRunQuery.data?.blocks ?? []).filter((b) => b.status === "completed").map((b) => [b.nodeId, b.output] as const)),
    [lastRunQuery.data],
  );
  const menuNode = menu ? nodes.find((n) => n.id === menu.nodeId) : undefined;
  const inspected = live ? (liveNodeId ? (nodes.find((n) => n.id === liveNodeId) ?? null) : null) : selected;
  const variables = useStableVariables(useMemo(() => (inspected ? variablesFor(inspected.id, nodes, edges, lastOutputs) : []), [inspected, nodes, edges, lastOutputs]));

  return (
    <BuilderActionsContext.Provider value={actions}>
      <div className="flex h-dvh min-h-[480px] flex-col" data-testid="builder">
        <header className="flex flex-wrap items-center justify-between gap-2 border-b border-border px-3 py-2">
          <div className="flex min-w-0 items-center gap-2">
            <Link href={`/w/${workspaceId}/flows`} className="text-sm text-muted-foreground hover:text-foreground">
              Flows
            </Link>
            <span className="text-muted-foreground" aria-hidden>
              /
            </span>
            <FlowTitle name={save.name} canEdit={canEdit} onRename={save.setName} />
            {canEdit ? (
              <span
                role="status"
                aria-label="Save status"
                className={cn(
                  "shrink-0 rounded-full border px-2 py-0.5 text-xs",
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
            <BuilderToolbar canEdit={editing} onSave={() => void flush()} />
            <Button type="button" variant="outline" size="sm" onClick={() => setTriggers(true)}>
              <CalendarClock aria-hidden />
              Triggers
            </Button>
            <FlowVersions workspaceId={workspaceId} flowId={flow.id} canEdit={canEdit} publishedVersion={flow.publishedVersion} flush={flush} />
            <Button type="button" variant="outline" size="sm" pending={validating} onClick={() => void validate()}>
              Validate
            </Button>
            {canEdit ? (
              <Button type="button" size="sm" onClick={() => setRunning(true)} title="Runs the draft you are editing">
                <Play aria-hidden />
                Run draft
              </Button>
            ) : null}
          </div>
        </header>

        {phase === "conflict" ? (
          <Alert variant="error" title="This flow was changed elsewhere" className="m-2">
            <p>Someone saved a newer version. Reload it (your changes here are dropped), or overwrite it with yours.</p>
            <div className="mt-2 flex gap-2">
              <Button type="button" size="sm" variant="outline" onClick={() => void save.reload()}>
                Reload
              </Button>
              <Button type="button" size="sm" variant="destructive" onClick={() => void save.overwrite()}>
                Overwrite
              </Button>
            </div>
          </Alert>
        ) : null}
        {phase === "error" && save.saveError ? (
          <Alert variant="error" title="Could not save" className="m-2">
            {save.saveError}
          </Alert>
        ) : null}

        <div className="flex min-h-0 flex-1">
          {editing ? <BlockPalette onAdd={(type) => store.getState().addBlock(type, centerOfView())} /> : null}
          <div className="relative min-w-0 flex-1" data-testid="canvas-area">
            {/* After Run: the canvas shows the run live; the editor stays mounted (hidden) for "Back to editing". */}
            {live && lastRun ? (
              <div className="absolute inset-0 flex flex-col p-2">
                <LiveExecution
                  key={lastRun}
                  workspaceId={workspaceId}
                  executionId={lastRun}
                  canAct={canEdit}
                  onExit={() => {
                    setLive(false);
                    setLiveNodeId(null);
                  }}
                  onNodeClick={(nodeId) => {
                    setLiveNodeId(nodeId);
                    setTab("output");
                  }}
                  className="min-h-0 flex-1"
                />
              </div>
            ) : null}
            <div className={cn("absolute inset-0", live && "hidden")}>
              <BuilderCanvas canEdit={editing} onQuickAdd={(at) => setQuickAdd({ at })} onNodeMenu={(nodeId, at) => setMenu({ nodeId, at })} />
              {validation ? (
                <ProblemsPanel problems={problems} ok={validation.ok} nodes={nodes} onPick={pickProblem} onDismiss={() => setValidation(null)} />
              ) : null}
            </div>
          </div>
          {inspected ? (
            <Inspector
              key={inspected.id}
              node={inspected}
              tab={live ? "output" : tab}
              onTab={setTab}
              onClose={() => (live ? setLiveNodeId(null) : deselectAll())}
              tabs={{
                config: (
                  <ConfigForm
                    key={inspected.id}
                    node={inspected}
                    readOnly={!editing}
                    showAllErrors={validation !== null}
                    variables={variables}
                    onChange={(patch) => updateData(inspected.id, patch)}
                  />
                ),
                output: <OutputTab workspaceId={workspaceId} executionId={lastRun} node={inspected} />,
                test: (
                  <TestPanel
                    workspaceId={workspaceId}
                    target={{ flowId: flow.id, nodeId: inspected.id }}
                    canRun={canEdit}
                    inputSchema={upstreamInputSchema(inspected.id, nodes, edges)}
                    beforeRun={flush}
                  />
                ),
              }}
            />
          ) : null}
        </div>
      </div>

      {menu && menuNode ? (
        <NodeMenu
          at={menu.at}
          label={`${blockTitle(menuNode.data.label, menuNode.type ?? "")} actions`}
          onClose={() => setMenu(null)}
          items={[
            { label: "Open settings", onSelect: () => (store.getState().selectOnly(menu.nodeId), setTab("config")) },
            { label: "Show output", onSelect: () => (store.getState().selectOnly(menu.nodeId), setTab("output")) },
            { label: "Add block after…", onSelect: () => setQuickAdd({ after: { nodeId: menu.nodeId, handle: null } }) },
            { label: "Duplicate", shortcut: "Mod+D", onSelect: () => actions.duplicate(menu.nodeId) },
            { label: "Delete", shortcut: "Del", destructive: true, onSelect: () => actions.remove(menu.nodeId) },
          ]}
        />
      ) : null}
      <QuickAdd open={quickAdd !== null} title={quickAdd && "after" in quickAdd ? "Add the next block" : "Add a block"} onClose={() => setQuickAdd(null)} onPick={pickBlock} />
      <TriggerSheet open={triggers} onClose={() => setTriggers(false)} workspaceId={workspaceId} flowId={flow.id} canEdit={canEdit} />
      <RunDialog
        open={running}
        onClose={() => setRunning(false)}
        flowId={flow.id}
        source={nodes.find((n) => n.type === "source")?.data.config}
        onRun={async (input) => {
          if (!(await flush())) throw new Error("Save the flow before running it");
          // The builder runs the draft being edited, even when a version is published.
          const { executionId } = await client.executions.start.mutate({ workspaceId, flowId: flow.id, input, draft: true });
          // Live view: nothing stays selected in the hidden editor, so no key edits it meanwhile.
          deselectAll();
          setLastRun(executionId);
          setLive(true);
          setLiveNodeId(null);
          setRunning(false);
        }}
      />
    </BuilderActionsContext.Provider>
  );
}
