import { createClerkClient } from "@clerk/backend";
import type { Deps } from "../lib/context";
import { syncClerkIdentity } from "../services/auth/sync-clerk-identity";
import type { Authenticator } from "./authenticator";

export type ClerkOptions = {
  secretKey: string;
  publishableKey: string;
  /** PEM public key: session tokens are verified locally, with no call to Clerk's servers. */
  jwtKey?: string;
  authorizedParties?: string[];
};

/**
 * Clerk: verifies the session token (cookie `__session` or `Authorization: Bearer`) and mirrors the user
 * and the active organization into Weft's tables (organizations are workspaces).
 */
export function createClerkAuthenticator(deps: Deps, options: ClerkOptions): Authenticator {
  const clerk = createClerkClient({
    secretKey: options.secretKey,
    publishableKey: options.publishableKey,
    jwtKey: options.jwtKey,
  });
  return {
    kind: "clerk",
    async authenticate(request) {
      const state = await clerk.authenticateRequest(request, {
        jwtKey: options.jwtKey,
        authorizedParties: options.authorizedParties,
      });
      if (!state.isAuthenticated) return null;
      const auth = state.toAuth();
      if (!auth?.userId) return null;
      const claims = (auth.sessionClaims ?? {}) as Record<string, unknown>;
      const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
      return syncClerkIdentity(deps, {
        clerkUserId: auth.userId,
        email: str(claims.email),
        name: str(claims.name),
        orgId: auth.orgId,
        orgRole: auth.orgRole,
        orgSlug: auth.orgSlug,
        orgName: str(claims.org_name),
      });
    },
  };
}
