import type { Metadata } from "next";
import { PatternsManager } from "@/features/patterns/patterns-manager";
import { PageHeader } from "@/features/shell/page-header";
import { getWorkspace } from "@/features/workspaces/get-workspace";

export const metadata: Metadata = { title: "Patterns" };

export default async function PatternsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const { workspace } = await getWorkspace(workspaceId);
  return (
    <>
      <PageHeader title="Patterns" description="Rules about decisions: when the input looks like this, the answer should be that. Evaluate them against past decisions." />
      <PatternsManager workspaceId={workspace.id} canEdit={workspace.role !== "viewer"} />
    </>
  );
}
