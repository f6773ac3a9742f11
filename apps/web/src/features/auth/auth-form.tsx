"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { fieldError, formError, type ServerError } from "@/features/forms/server-error";

type Mode = "sign-in" | "sign-up";

const fieldsOf: Record<Mode, readonly string[]> = {
  "sign-up": ["name", "email", "password"],
  "sign-in": ["email", "password"],
};

/** Local email + password auth: posts to the REST routes, which set the httpOnly session cookie. */
export function AuthForm({ mode }: { mode: Mode }) {
  const router = useRouter();
  const [error, setError] = useState<ServerError | null>(null);
  const [pending, setPending] = useState(false);
  const fields = fieldsOf[mode];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = Object.fromEntries(fields.map((name) => {
      const value = form.get(name);
      return [name, typeof value === "string" ? value : ""];
    }));
    setPending(true);
    setError(null);
    try {
      const response = await fetch(`/api/auth/${mode}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.ok) {
        router.push("/");
        router.refresh();
        return; // keep the button busy while the next page loads
      }
      setError(await readError(response));
    } catch {
      setError({ message: "Could not reach the server. Check your connection and try again.", path: null });
    }
    setPending(false);
  }

  const topError = formError(error, fields);
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-describedby={topError ? "auth-form-error" : undefined}>
      {topError ? (
        <Alert variant="error" id="auth-form-error">
          {topError}
        </Alert>
      ) : null}
      {mode === "sign-up" ? (
        <Field id="name" label="Name" error={fieldError(error, "name")}>
          {(control) => <Input {...control} name="name" autoComplete="name" required />}
        </Field>
      ) : null}
      <Field id="email" label="Email" error={fieldError(error, "email")}>
        {(control) => <Input {...control} name="email" type="email" autoComplete="email" required />}
      </Field>
      <Field
        id="password"
        label="Password"
        error={fieldError(error, "password")}
        // The rule once: as a hint, or as the error when the password breaks it.
        hint={mode === "sign-up" && !fieldError(error, "password") ? "At least 8 characters." : undefined}
      >
        {(control) => (
          <Input {...control} name="password" type="password" autoComplete={mode === "sign-up" ? "new-password" : "current-password"} required />
        )}
      </Field>
      <Button type="submit" pending={pending} className="mt-2 w-full">
        {mode === "sign-up" ? "Create account" : "Sign in"}
      </Button>
      <p className="text-center text-sm text-muted-foreground">
        {mode === "sign-up" ? (
          <>
            Already have an account?{" "}
            <Link href="/sign-in" className="font-medium text-foreground underline underline-offset-4">
              Sign in
            </Link>
          </>
        ) : (
          <>
            New to Weft?{" "}
            <Link href="/sign-up" className="font-medium text-foreground underline underline-offset-4">
              Create an account
            </Link>
          </>
        )}
      </p>
    </form>
  );
}

async function readError(response: Response): Promise<ServerError> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string; path?: string } } | null;
  const message = body?.error?.message ?? `The server answered ${response.status}.`;
  if (response.status === 429) {
    const seconds = Number(response.headers.get("retry-after"));
    const wait = Number.isFinite(seconds) && seconds > 0 ? ` You can try again in ${formatWait(seconds)}.` : "";
    return { message: `${message.replace(/ Try again later\.$/, "")}${wait || " Try again later."}`, path: null };
  }
  return { message, path: body?.error?.path ?? null };
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
