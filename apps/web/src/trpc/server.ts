import "server-only";
import { cache } from "react";
import { createCaller } from "@weft/api";
import { getApi } from "@/server/api";
import { getSession } from "@/server/session";

/** tRPC for server components: the same procedures and checks as the HTTP API, called in-process. */
export const getServerCaller = cache(async () => {
  const { deps } = await getApi();
  return createCaller({ deps, identity: await getSession() });
});
