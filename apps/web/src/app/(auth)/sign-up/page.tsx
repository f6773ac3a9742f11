import type { Metadata } from "next";
import { SignUp } from "@clerk/nextjs";
import { AuthCard } from "@/features/auth/auth-card";
import { AuthForm } from "@/features/auth/auth-form";
import { clerkEnabled } from "@/server/env";

export const metadata: Metadata = { title: "Create your account" };

export default function SignUpPage() {
  if (clerkEnabled) return <SignUp routing="hash" signInUrl="/sign-in" fallbackRedirectUrl="/" />;
  return (
    <AuthCard
      title="Create your Weft account"
      description="Draw AI and automation flows on a canvas, run them by hand, from a webhook or on a schedule, and watch every run live."
    >
      <AuthForm mode="sign-up" />
    </AuthCard>
  );
}
