import type { Actor, Deps } from "../../lib/context";
import { requireRole } from "../../lib/roles";
import { engineCommand, findExecution } from "./execution-access";

export type CommandResult = { executionId: string; status: string };

/**
 * The frame of every action: members and up, the execution must be this workspace's (404 otherwise,
 * before the engine is asked anything), a refused transition is a 409, and the answer is the status
 * right after the command (a running execution acts on cancel/pause within a second, asynchronously).
 */
export async function runExecutionCommand(
  deps: Deps,
  { actor, executionId, command }: { actor: Actor; executionId: string; command: () => Promise<unknown> },
): Promise<CommandResult> {
  requireRole(actor.role, "member");
  await findExecution(deps, { workspaceId: actor.workspaceId, executionId });
  await engineCommand(command);
  const after = await findExecution(deps, { workspaceId: actor.workspaceId, executionId });
  return { executionId, status: after.status };
}
