import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { ExecutionTimeline } from "@/features/executions/execution-timeline";
import { RunCollab } from "@/features/run-collab/run-collab";
import { runStepNodes } from "@/features/run-collab/run-step-nodes";
import { getWorkspace } from "@/features/workspaces/get-workspace";

export const metadata: Metadata = { title: "Execution" };

export default async function ExecutionPage({ params }: { params: Promise<{ workspaceId: string; executionId: string }> }) {
  const { workspaceId, executionId } = await params;
  const { workspace, caller } = await getWorkspace(workspaceId);
  const execution = await caller.executions.byId({ workspaceId: workspace.id, executionId }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  });
  // Viewers read; members and up run and act (DESIGN.md section 7).
  const canAct = workspace.role !== "viewer";
  return (
    <>
      <ExecutionTimeline key={execution.id} workspaceId={workspace.id} initial={execution} canAct={canAct} />
      <RunCollab key={`collab-${execution.id}`} workspaceId={workspace.id} executionId={execution.id} nodes={runStepNodes(execution.graph)} canAct={canAct} />
    </>
  );
}
