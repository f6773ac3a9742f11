import type { Metadata } from "next";
import Link from "next/link";
import { Blocks } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/features/shell/page-header";
import { getWorkspace } from "@/features/workspaces/get-workspace";

export const metadata: Metadata = { title: "Blocks" };

export default async function BlocksPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const { workspace } = await getWorkspace(workspaceId);
  return (
    <>
      <PageHeader title="Blocks" description="Reusable, tested block configurations your flows can share." />
      <EmptyState icon={Blocks} title="No saved blocks yet">
        <p>
          A block is one step of a flow — an AI prompt with its model, a JavaScript function, an HTTP call. Blocks you save for reuse,
          and their test runs, will be listed here once the flow builder arrives.
        </p>
        <p>
          AI blocks call a model through a connection:{" "}
          <Link href={`/w/${workspace.id}/connections`} className="font-medium text-foreground underline underline-offset-4">
            set one up in Connections
          </Link>
          .
        </p>
      </EmptyState>
    </>
  );
}
