import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ClerkProvider } from "@clerk/nextjs";
import { clerkEnabled, env } from "@/server/env";
import { TRPCReactProvider } from "@/trpc/client";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Weft", template: "%s · Weft" },
  description: "Draw AI and automation flows on a canvas and run them durably.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  const app = <TRPCReactProvider>{children}</TRPCReactProvider>;
  return (
    <html lang="en">
      <body className="min-h-dvh">
        {/* Clerk only when its keys are set (local auth otherwise): its provider needs a publishable key. */}
        {clerkEnabled ? <ClerkProvider publishableKey={env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY}>{app}</ClerkProvider> : app}
      </body>
    </html>
  );
}
