import { getApi } from "@/server/api";

export const dynamic = "force-dynamic";

/** tRPC: cross-site writes refused, body and batch size capped (packages/api/src/trpc/handler.ts). */
async function handler(request: Request): Promise<Response> {
  const { trpc } = await getApi();
  return trpc(request);
}

export { handler as GET, handler as POST };
