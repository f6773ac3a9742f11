import type { Metadata } from "next";
import { ExecutionsList } from "@/features/executions/executions-list";
import { PageHeader } from "@/features/shell/page-header";
import { getWorkspace } from "@/features/workspaces/get-workspace";

export const metadata: Metadata = { title: "Executions" };

export default async function ExecutionsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const { workspace, caller } = await getWorkspace(workspaceId);
  const initialPage = await caller.executions.list({ workspaceId: workspace.id, limit: 25 });
  return (
    <>
      <PageHeader title="Executions" description="Every run of every flow in this workspace, with its status, duration, tokens and cost." />
      <ExecutionsList workspaceId={workspace.id} initialPage={initialPage} />
    </>
  );
}
