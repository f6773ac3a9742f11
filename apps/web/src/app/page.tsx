import { redirect } from "next/navigation";
import { getServerCaller } from "@/trpc/server";
import { getSession } from "@/server/session";

/** The front door: sign up when signed out, else the first workspace (or onboarding when there is none). */
export default async function HomePage() {
  const session = await getSession();
  if (!session) redirect("/sign-up");
  const caller = await getServerCaller();
  const workspaces = await caller.workspaces.list();
  const target = workspaces.find((w) => w.id === session.activeWorkspaceId) ?? workspaces[0];
  redirect(target ? `/w/${target.id}` : "/onboarding");
}
