import type { Metadata } from "next";
import Link from "next/link";
import { CreateOrganization } from "@clerk/nextjs";
import { Card } from "@/components/ui/card";
import { CreateWorkspaceForm } from "@/features/workspaces/create-workspace-form";
import { Logo } from "@/features/shell/logo";
import { SignOutButton } from "@/features/shell/sign-out-button";
import { clerkEnabled } from "@/server/env";
import { requireSession } from "@/server/session";
import { getServerCaller } from "@/trpc/server";

export const metadata: Metadata = { title: "Create your workspace" };

/** First stop after sign-up (and the target of "Create workspace" in the switcher). */
export default async function OnboardingPage() {
  const session = await requireSession();
  const workspaces = await (await getServerCaller()).workspaces.list();
  const first = workspaces[0];

  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-8 bg-muted/40 px-4 py-12">
      <Logo />
      <Card className="w-full max-w-md">
        <div className="flex flex-col gap-1.5 px-6 pt-6 pb-2">
          <h1 className="text-xl font-semibold tracking-tight">Create your workspace</h1>
          <p className="text-sm text-muted-foreground">
            A workspace holds your flows, their runs, LLM connections and API keys. Invite your team to it from Settings.
          </p>
        </div>
        <div className="px-6 pt-4 pb-6">
          {clerkEnabled ? <CreateOrganization afterCreateOrganizationUrl="/" /> : <CreateWorkspaceForm />}
        </div>
      </Card>
      <div className="flex flex-col items-center gap-2 text-sm text-muted-foreground">
        {first ? (
          <Link href={`/w/${first.id}`} className="font-medium text-foreground underline underline-offset-4">
            Back to {first.name}
          </Link>
        ) : null}
        <div className="flex flex-wrap items-center justify-center gap-x-2">
          <p>
            Signed in as <span className="font-medium text-foreground">{session.user.email}</span>
          </p>
          <span aria-hidden="true">·</span>
          <SignOutButton clerk={clerkEnabled} variant="link" />
        </div>
      </div>
    </main>
  );
}
