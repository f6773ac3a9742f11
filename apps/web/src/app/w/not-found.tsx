import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { Logo } from "@/features/shell/logo";

/** A workspace that does not exist, or that you are not a member of (the API answers the same for both). */
export default function WorkspaceNotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 px-4 text-center">
      <Logo />
      <div className="flex flex-col gap-2">
        <h1 className="text-xl font-semibold">Workspace not found</h1>
        <p className="max-w-sm text-sm text-muted-foreground">
          It does not exist, or you are not a member of it. Ask one of its admins to add you.
        </p>
      </div>
      <Link href="/" className={buttonClasses({ variant: "outline" })}>
        Go to your workspaces
      </Link>
    </main>
  );
}
