import { getApi } from "@/server/api";

export const dynamic = "force-dynamic";

/**
 * `/api/auth/*` (local sign-up, sign-in, sign-out) and `/api/v1/*` (the public REST API, API keys or
 * session cookie): both served by the REST app of packages/api. More specific routes (tRPC) win.
 */
async function handler(request: Request): Promise<Response> {
  const { rest } = await getApi();
  return rest.fetch(request);
}

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
