import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createTRPCContext } from "@weft/api";
import { getApi } from "@/server/api";

export const dynamic = "force-dynamic";

async function handler(request: Request): Promise<Response> {
  const { deps, authenticator } = await getApi();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createTRPCContext({ deps, authenticator, request }),
  });
}

export { handler as GET, handler as POST };
