import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { Logo } from "@/features/shell/logo";
import { getSession } from "@/server/session";

/** Sign-in and sign-up: a centred card. Someone already signed in goes to their workspace. */
export default async function AuthLayout({ children }: { children: ReactNode }) {
  if (await getSession()) redirect("/");
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-8 bg-muted/40 px-4 py-12">
      <Logo />
      {children}
    </main>
  );
}
