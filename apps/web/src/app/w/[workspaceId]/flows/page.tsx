import type { Metadata } from "next";
import Link from "next/link";
import { Workflow } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/features/shell/page-header";
import { canManage, getWorkspace } from "@/features/workspaces/get-workspace";

export const metadata: Metadata = { title: "Flows" };

const link = "font-medium text-foreground underline underline-offset-4";

export default async function FlowsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const { workspace } = await getWorkspace(workspaceId);
  const base = `/w/${workspace.id}`;
  return (
    <>
      <PageHeader title="Flows" description="Flows chain blocks into a pipeline that runs by hand, from a webhook or on a schedule." />
      <EmptyState icon={Workflow} title="No flows yet">
        <p>
          Flows are drawn on a canvas from blocks: AI, function, router, parallel, loop, HTTP and approval. The flow builder
          arrives next; this page will list your flows once it does.
        </p>
        {canManage(workspace.role) ? (
          <p>
            Meanwhile, you can{" "}
            <Link href={`${base}/connections`} className={link}>
              add an LLM connection
            </Link>{" "}
            for AI blocks to use, and{" "}
            <Link href={`${base}/settings#api-keys`} className={link}>
              create an API key in Settings
            </Link>{" "}
            to use the{" "}
            <a href="/api/v1/openapi.json" className={link}>
              REST API
            </a>
            .
          </p>
        ) : (
          <p>
            Meanwhile, the{" "}
            <Link href={`${base}/connections`} className={link}>
              LLM connections
            </Link>{" "}
            and{" "}
            <Link href={`${base}/settings#members`} className={link}>
              members
            </Link>{" "}
            of this workspace are listed in the sidebar sections; its admins manage them.
          </p>
        )}
      </EmptyState>
    </>
  );
}
