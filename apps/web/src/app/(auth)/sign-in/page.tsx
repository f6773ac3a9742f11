import type { Metadata } from "next";
import { SignIn } from "@clerk/nextjs";
import { AuthCard } from "@/features/auth/auth-card";
import { AuthForm } from "@/features/auth/auth-form";
import { clerkEnabled } from "@/server/env";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  if (clerkEnabled) return <SignIn routing="hash" signUpUrl="/sign-up" fallbackRedirectUrl="/" />;
  return (
    <AuthCard title="Sign in to Weft" description="Welcome back. Enter your email and password.">
      <AuthForm mode="sign-in" />
    </AuthCard>
  );
}
