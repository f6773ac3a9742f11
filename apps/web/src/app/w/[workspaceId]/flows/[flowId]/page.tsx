import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { FlowBuilder } from "@/features/flow-builder/flow-builder";
import { getWorkspace } from "@/features/workspaces/get-workspace";

export const metadata: Metadata = { title: "Flow builder" };

export default async function FlowBuilderPage({ params }: { params: Promise<{ workspaceId: string; flowId: string }> }) {
  const { workspaceId, flowId } = await params;
  const { workspace, caller } = await getWorkspace(workspaceId);
  const flow = await caller.flows.byId({ workspaceId: workspace.id, flowId }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  });
  return <FlowBuilder key={flow.id} workspaceId={workspace.id} flow={flow} canEdit={workspace.role !== "viewer"} />;
}
