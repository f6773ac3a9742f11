import type { Metadata } from "next";
import { ExecutionsList } from "@/features/executions/executions-list";
import { listInput, PAGE_SIZE, parseFilters } from "@/features/executions/list-filters";
import { PageHeader } from "@/features/shell/page-header";
import { getWorkspace } from "@/features/workspaces/get-workspace";

export const metadata: Metadata = { title: "Executions" };

export default async function ExecutionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspaceId } = await params;
  const { workspace, caller } = await getWorkspace(workspaceId);
  const filters = parseFilters(await searchParams);
  // Date bounds are days in the viewer's time zone, which only the browser knows: it loads those.
  const datesSet = Boolean(filters.from || filters.to);
  const [page, flows] = await Promise.all([
    datesSet ? null : caller.executions.list(listInput(workspace.id, filters, PAGE_SIZE)),
    caller.flows.list({ workspaceId: workspace.id, limit: 100 }),
  ]);
  return (
    <>
      <PageHeader title="Executions" description="Every run of every flow in this workspace, with its status, active time, tokens and cost." />
      <ExecutionsList
        workspaceId={workspace.id}
        flows={flows.items.map((f) => ({ id: f.id, name: f.name }))}
        initial={page ? { filters, page } : null}
        canAct={workspace.role !== "viewer"}
      />
    </>
  );
}
