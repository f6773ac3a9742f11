import type { Metadata } from "next";
import { ConnectionsManager } from "@/features/connections/connections-manager";
import { PageHeader } from "@/features/shell/page-header";
import { canManage, getWorkspace } from "@/features/workspaces/get-workspace";

export const metadata: Metadata = { title: "Connections" };

export default async function ConnectionsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const { workspace, caller } = await getWorkspace(workspaceId);
  const connections = await caller.connections.list({ workspaceId: workspace.id });
  return (
    <>
      <PageHeader title="Connections" description="Credentials for the model providers your AI blocks call." />
      <ConnectionsManager workspaceId={workspace.id} canManage={canManage(workspace.role)} initialConnections={connections} />
    </>
  );
}
