import type { Deps } from "../lib/context";
import { getSessionUser } from "../services/auth/get-session-user";
import { readCookie, SESSION_COOKIE, type Authenticator } from "./authenticator";

/** Local auth: the httpOnly session cookie set by sign-in/sign-up. */
export function createLocalAuthenticator(deps: Deps): Authenticator {
  return {
    kind: "local",
    async authenticate(request) {
      const token = readCookie(request, SESSION_COOKIE);
      if (!token) return null;
      const user = await getSessionUser(deps, { token });
      return user ? { user } : null;
    },
  };
}
