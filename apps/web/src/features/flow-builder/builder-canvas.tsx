"use client";

import { useCallback, useSyncExternalStore, type DragEvent, type MouseEvent as ReactMouseEvent } from "react";
import {
  Background,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  SelectionMode,
  useReactFlow,
  type DefaultEdgeOptions,
  type NodeTypes,
  type XYPosition,
} from "@xyflow/react";
import { Map as MapIcon } from "lucide-react";
import { blockTypes, isBlockType } from "@weft/flow";
import { BlockNode } from "./block-node";
import { DRAG_TYPE } from "./block-palette";
import { useFlowStore, type BuilderNode } from "./store";

// Module scope (React Flow re-renders every node when these change identity).
const nodeTypes: NodeTypes = Object.fromEntries(blockTypes.map((type) => [type, BlockNode]));
const defaultEdgeOptions: DefaultEdgeOptions = { type: "smoothstep" };
// Delete/Backspace, copy/paste, undo/redo: use-shortcuts.ts (one undo step per action).
const MULTI_SELECT_KEYS = ["Meta", "Control"];
const fitViewOptions = { maxZoom: 1, padding: 0.15 };
const MINIMAP_KEY = "weft:builder-minimap";
const minimapStyle = { width: 160, height: 100 };

// Whether the minimap is shown: remembered in localStorage (shown on the server and by default).
const minimapListeners = new Set<() => void>();
let minimapFallback = true;
const readMinimap = () => {
  try {
    return window.localStorage.getItem(MINIMAP_KEY) !== "hidden";
  } catch {
    return minimapFallback;
  }
};
const subscribeMinimap = (listener: () => void) => {
  minimapListeners.add(listener);
  return () => minimapListeners.delete(listener);
};

function useMinimapShown(): [boolean, (shown: boolean) => void] {
  const shown = useSyncExternalStore(subscribeMinimap, readMinimap, () => true);
  const set = useCallback((next: boolean) => {
    minimapFallback = next;
    try {
      window.localStorage.setItem(MINIMAP_KEY, next ? "shown" : "hidden");
    } catch {
      // storage off: the choice lasts for this page
    }
    for (const listener of minimapListeners) listener();
  }, []);
  return [shown, set];
}

/**
 * The builder's canvas: React Flow over the store, fit to view on open, a small minimap that can be
 * hidden (remembered), drop from the palette, double-click on the empty canvas for quick add, and
 * right click on a block for its menu.
 */
export function BuilderCanvas({
  canEdit,
  onQuickAdd,
  onNodeMenu,
}: {
  canEdit: boolean;
  onQuickAdd: (at: XYPosition) => void;
  onNodeMenu: (nodeId: string, at: { x: number; y: number }) => void;
}) {
  const { screenToFlowPosition } = useReactFlow();
  const nodes = useFlowStore((s) => s.nodes);
  const edges = useFlowStore((s) => s.edges);
  const onNodesChange = useFlowStore((s) => s.onNodesChange);
  const onEdgesChange = useFlowStore((s) => s.onEdgesChange);
  const onConnect = useFlowStore((s) => s.onConnect);
  const addBlock = useFlowStore((s) => s.addBlock);
  const selectOnly = useFlowStore((s) => s.selectOnly);
  const [minimap, setMinimap] = useMinimapShown();

  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  };
  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(DRAG_TYPE);
    if (!isBlockType(type)) return;
    event.preventDefault();
    addBlock(type, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
  };
  const onDoubleClick = (event: ReactMouseEvent) => {
    if (!canEdit || !(event.target instanceof Element) || !event.target.classList.contains("react-flow__pane")) return;
    onQuickAdd(screenToFlowPosition({ x: event.clientX, y: event.clientY }));
  };
  const onNodeContextMenu = useCallback(
    (event: ReactMouseEvent, node: BuilderNode) => {
      if (!canEdit) return;
      event.preventDefault();
      selectOnly(node.id);
      onNodeMenu(node.id, { x: event.clientX, y: event.clientY });
    },
    [canEdit, selectOnly, onNodeMenu],
  );

  return (
    <div className="absolute inset-0" onDragOver={onDragOver} onDrop={onDrop} onDoubleClick={onDoubleClick} data-testid="canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeContextMenu={onNodeContextMenu}
        nodesDraggable={canEdit}
        nodesConnectable={canEdit}
        deleteKeyCode={null}
        zoomOnDoubleClick={false}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionMode={SelectionMode.Partial}
        fitView
        fitViewOptions={fitViewOptions}
      >
        <Background />
        {minimap ? <MiniMap pannable zoomable style={minimapStyle} ariaLabel="Minimap" /> : null}
        <Controls fitViewOptions={fitViewOptions}>
          <ControlButton onClick={() => setMinimap(!minimap)} title={minimap ? "Hide the minimap" : "Show the minimap"} aria-label={minimap ? "Hide the minimap" : "Show the minimap"} aria-pressed={minimap}>
            <MapIcon aria-hidden />
          </ControlButton>
        </Controls>
      </ReactFlow>
    </div>
  );
}
