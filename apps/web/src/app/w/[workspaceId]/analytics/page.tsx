import type { Metadata } from "next";
import { AnalyticsDashboard } from "@/features/analytics/analytics-dashboard";
import { PageHeader } from "@/features/shell/page-header";
import { getWorkspace } from "@/features/workspaces/get-workspace";

export const metadata: Metadata = { title: "Analytics" };

export default async function AnalyticsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const { workspace, caller } = await getWorkspace(workspaceId);
  const flows = await caller.flows.list({ workspaceId: workspace.id, limit: 100 });
  return (
    <>
      <PageHeader title="Analytics" description="Accuracy, latency, cost and failures of every block, from exact rollups kept at commit time." />
      <AnalyticsDashboard workspaceId={workspace.id} flows={flows.items.map((f) => ({ id: f.id, name: f.name }))} />
    </>
  );
}
