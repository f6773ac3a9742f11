"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { SignOutButton as ClerkSignOutButton } from "@clerk/nextjs";
import { LogOut } from "lucide-react";
import { Button } from "@/components/ui/button";

type Variant = "sidebar" | "link";

/** Ends the session: Clerk's sign-out in Clerk mode, else POST /api/auth/sign-out (clears the cookie). */
export function SignOutButton({ clerk, variant = "sidebar" }: { clerk: boolean; variant?: Variant }) {
  if (clerk) {
    return (
      <ClerkSignOutButton redirectUrl="/sign-in">
        <Inner variant={variant} />
      </ClerkSignOutButton>
    );
  }
  return <LocalSignOutButton variant={variant} />;
}

function LocalSignOutButton({ variant }: { variant: Variant }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <>
      <Inner
        variant={variant}
        pending={pending}
        onClick={async () => {
          setPending(true);
          setFailed(false);
          try {
            const response = await fetch("/api/auth/sign-out", { method: "POST" });
            if (!response.ok) throw new Error(String(response.status));
            router.push("/sign-in");
            router.refresh();
          } catch {
            setFailed(true);
            setPending(false);
          }
        }}
      />
      {failed ? (
        <span role="alert" className="text-xs text-destructive">
          Sign-out failed. Try again.
        </span>
      ) : null}
    </>
  );
}

function Inner({ variant, pending, onClick }: { variant: Variant; pending?: boolean; onClick?: () => void }) {
  if (variant === "link") {
    return (
      <button
        type="button"
        onClick={onClick}
        disabled={pending}
        className="rounded-sm font-medium text-foreground underline underline-offset-4 focus-visible:outline-2 focus-visible:outline-ring disabled:opacity-50"
      >
        Sign out
      </button>
    );
  }
  return (
    <Button type="button" variant="ghost" size="sm" onClick={onClick} pending={pending} title="Sign out" className="md:w-full md:justify-start">
      {pending ? null : <LogOut aria-hidden />}
      <span className="group-data-full-bleed/frame:md:sr-only">Sign out</span>
    </Button>
  );
}
