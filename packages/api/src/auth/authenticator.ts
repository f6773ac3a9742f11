import type { SessionUser } from "../lib/context";

export const SESSION_COOKIE = "weft_session";

/** Who a request comes from, as established by local auth or Clerk. */
export type Identity = {
  user: SessionUser;
  /** Clerk: the session's active organization, mirrored as a workspace. */
  activeWorkspaceId?: string;
};

/** One way of turning a request into an identity; the composition root picks local or Clerk. */
export type Authenticator = {
  kind: "local" | "clerk";
  authenticate(request: Request): Promise<Identity | null>;
};

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
