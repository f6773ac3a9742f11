import type { Metadata } from "next";
import Link from "next/link";
import { Workflow } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { NewFlowButton } from "@/features/flow-builder/new-flow-button";
import { PageHeader } from "@/features/shell/page-header";
import { getWorkspace } from "@/features/workspaces/get-workspace";
import { TableHead } from "@/components/ui/table-head";

export const metadata: Metadata = { title: "Flows" };

export default async function FlowsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const { workspace, caller } = await getWorkspace(workspaceId);
  const { items } = await caller.flows.list({ workspaceId: workspace.id, limit: 100 });
  const canEdit = workspace.role !== "viewer";
  const base = `/w/${workspace.id}`;
  return (
    <>
      <PageHeader
        title="Flows"
        description="Flows chain blocks into a pipeline that runs by hand, from a webhook or on a schedule."
        actions={canEdit ? <NewFlowButton workspaceId={workspace.id} /> : null}
      />
      {items.length === 0 ? (
        <EmptyState icon={Workflow} title="No flows yet">
          <p>Flows are drawn on a canvas from blocks: AI, function, router, parallel, loop, HTTP and approval.</p>
          {canEdit ? <p>Start one with “New flow”, or from an example with “From a template”.</p> : <p>Members of this workspace create them; you can open and run nothing yet.</p>}
        </EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-border">
          <table className="w-full text-sm">
            <caption className="sr-only">Flows</caption>
            <TableHead columns={["Name", "Updated", "Published"]} className="bg-muted/50" cellClassName="px-4 py-2.5" />
            <tbody className="divide-y divide-border">
              {items.map((flow) => (
                <tr key={flow.id}>
                  <th scope="row" className="px-4 py-3 text-left font-medium">
                    <Link href={`${base}/flows/${flow.id}`} className="underline-offset-4 hover:underline">
                      {flow.name}
                    </Link>
                  </th>
                  <td className="px-4 py-3 whitespace-nowrap text-muted-foreground">
                    <LocalTime value={flow.updatedAt} />
                  </td>
                  <td className="px-4 py-3">
                    {flow.publishedVersion === null ? <Badge variant="outline">Draft</Badge> : <Badge variant="success">v{flow.publishedVersion}</Badge>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
