import type { Metadata } from "next";
import { DecisionQueue } from "@/features/decisions/decision-queue";
import { PageHeader } from "@/features/shell/page-header";
import { getWorkspace } from "@/features/workspaces/get-workspace";

export const metadata: Metadata = { title: "Decisions" };

export default async function DecisionsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const { workspace, caller } = await getWorkspace(workspaceId);
  const flows = await caller.flows.list({ workspaceId: workspace.id, limit: 100 });
  return (
    <>
      <PageHeader title="Decisions" description="Review what AI blocks and routers decided: mark each correct, incorrect or partial and tag why." />
      <DecisionQueue workspaceId={workspace.id} flows={flows.items.map((f) => ({ id: f.id, name: f.name }))} canEdit={workspace.role !== "viewer"} />
    </>
  );
}
