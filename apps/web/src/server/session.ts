import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { Identity } from "@weft/api/auth";
import { getApi } from "./api";

/**
 * The one way app code asks who is signed in (local auth or Clerk, whichever is configured):
 * `{ user, activeWorkspaceId? }` or null. Cached per request.
 */
export const getSession = cache(async (): Promise<Identity | null> => {
  // Headers first: it marks the page dynamic before anything opens the database.
  const request = new Request("http://weft.internal/", { headers: await headers() });
  const { authenticator } = await getApi();
  return authenticator.authenticate(request);
});

/** The session, or a redirect to the sign-in page. */
export async function requireSession(): Promise<Identity> {
  const session = await getSession();
  if (!session) redirect("/sign-in");
  return session;
}
