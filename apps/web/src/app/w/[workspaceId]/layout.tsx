import type { ReactNode } from "react";
import { AppFrame } from "@/features/shell/app-frame";
import { Logo } from "@/features/shell/logo";
import { SidebarNav } from "@/features/shell/sidebar-nav";
import { SignOutButton } from "@/features/shell/sign-out-button";
import { OrganizationSwitcher } from "@clerk/nextjs";
import { WorkspaceSwitcher } from "@/features/shell/workspace-switcher";
import { getWorkspace } from "@/features/workspaces/get-workspace";
import { clerkEnabled } from "@/server/env";

/**
 * The signed-in shell: sidebar (workspace switcher, sections, user) and the page. On full-bleed pages
 * (the builder, see AppFrame) the sidebar is an icon rail and the page takes the rest of the window.
 */
export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ workspaceId: string }>;
}) {
  const { workspaceId } = await params;
  const { workspace, session, caller } = await getWorkspace(workspaceId);
  const workspaces = await caller.workspaces.list();

  return (
    <AppFrame>
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-primary px-3 py-2 text-sm text-primary-foreground focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside className="border-b border-border bg-muted/40 md:w-64 md:shrink-0 md:border-r md:border-b-0 group-data-full-bleed/frame:md:w-14">
        {/* The aside stretches with the page (background, border); its content stays in view. */}
        <div className="flex flex-col gap-4 p-3 md:sticky md:top-0 md:h-dvh group-data-full-bleed/frame:md:px-2">
          <div className="px-1.5 pt-1 group-data-full-bleed/frame:md:hidden">
            <Logo href={`/w/${workspace.id}`} />
          </div>
          <div className="contents group-data-full-bleed/frame:md:hidden">
          {clerkEnabled ? (
            // Clerk mode: organizations are workspaces, so Clerk switches and creates them.
            <OrganizationSwitcher hidePersonal afterSelectOrganizationUrl="/" afterCreateOrganizationUrl="/" />
          ) : (
            <WorkspaceSwitcher current={workspace} workspaces={workspaces} />
          )}
          </div>
          <SidebarNav workspaceId={workspace.id} />
          <div className="mt-auto flex items-center justify-between gap-2 border-t border-border pt-3 md:flex-col md:items-stretch">
            <div className="flex min-w-0 flex-col px-2.5 group-data-full-bleed/frame:md:hidden">
              <span className="truncate text-sm font-medium">{session.user.name}</span>
              <span className="truncate text-xs text-muted-foreground" title={session.user.email}>
                {session.user.email}
              </span>
            </div>
            <SignOutButton clerk={clerkEnabled} />
          </div>
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1">
        <div className="mx-auto w-full max-w-5xl px-4 py-8 md:px-8 group-data-full-bleed/frame:max-w-none group-data-full-bleed/frame:p-0 group-data-full-bleed/frame:md:p-0">
          {children}
        </div>
      </main>
    </AppFrame>
  );
}
