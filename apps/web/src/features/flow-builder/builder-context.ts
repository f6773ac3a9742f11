import { createContext, useContext } from "react";

/** What the canvas nodes of the builder need from around them (stable callbacks; one per open flow). */
export type BuilderActions = {
  workspaceId: string;
  flowId: string;
  canEdit: boolean;
  /** Opens quick-add to put the next block after this output (the "+" on a handle). */
  addAfter: (nodeId: string, handle: string | null) => void;
  /** Opens the flow's triggers (webhook, schedules) in the sheet. */
  openTriggers: () => void;
  /** Opens the node's menu (duplicate, delete...) at a point of the window. */
  openMenu: (nodeId: string, at: { x: number; y: number }) => void;
  duplicate: (nodeId: string) => void;
  remove: (nodeId: string) => void;
};

export const BuilderActionsContext = createContext<BuilderActions | null>(null);

export function useBuilderActions(): BuilderActions {
  const actions = useContext(BuilderActionsContext);
  if (!actions) throw new Error("useBuilderActions outside <BuilderActionsContext>");
  return actions;
}
