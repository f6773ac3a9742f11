import type { Metadata } from "next";
import { ApiKeysSection } from "@/features/settings/api-keys-section";
import { GeneralSection } from "@/features/settings/general-section";
import { MembersSection } from "@/features/settings/members-section";
import { SettingsNav } from "@/features/settings/settings-nav";
import { PageHeader } from "@/features/shell/page-header";
import { canManage, getWorkspace } from "@/features/workspaces/get-workspace";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const { workspace, session, caller } = await getWorkspace(workspaceId);
  const admin = canManage(workspace.role);
  const [members, apiKeys] = await Promise.all([
    caller.members.list({ workspaceId: workspace.id }),
    admin ? caller.apiKeys.list({ workspaceId: workspace.id }) : Promise.resolve(null),
  ]);
  return (
    <>
      <PageHeader title="Settings" description="The workspace's name, who is in it, and the API keys that act on its behalf." />
      <SettingsNav />
      <div className="flex flex-col gap-6">
        <GeneralSection workspaceId={workspace.id} name={workspace.name} canManage={admin} />
        <MembersSection
          workspaceId={workspace.id}
          workspaceName={workspace.name}
          currentUserId={session.user.id}
          role={workspace.role}
          initialMembers={members}
        />
        <ApiKeysSection workspaceId={workspace.id} role={workspace.role} initialKeys={apiKeys} />
      </div>
    </>
  );
}
