import type { Metadata } from "next";
import { History } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/features/shell/page-header";
import { getWorkspace } from "@/features/workspaces/get-workspace";

export const metadata: Metadata = { title: "Executions" };

export default async function ExecutionsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  await getWorkspace(workspaceId);
  return (
    <>
      <PageHeader title="Executions" description="Every run of every flow in this workspace, with its status, duration, tokens and cost." />
      <EmptyState icon={History} title="No executions yet">
        <p>
          An execution is one run of a flow. Runs will be listed here as they start — by hand, from a webhook or on a schedule —
          and each one opens into a live timeline of its steps.
        </p>
        <p>A run needs a flow first, and flows arrive with the flow builder.</p>
      </EmptyState>
    </>
  );
}
