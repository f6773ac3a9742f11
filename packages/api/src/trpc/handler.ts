import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Authenticator } from "../auth/authenticator";
import type { Deps } from "../lib/context";
import { crossSiteRefusal } from "../lib/cross-site";
import { AppError, errorBody } from "../lib/errors";
import { createTRPCContext } from "./init";
import { appRouter } from "./root";

export type TrpcHandlerOptions = {
  deps: Deps;
  authenticator: Authenticator;
  /** WEFT_PUBLIC_URL: the origin cookie-authenticated writes must come from (besides the request's own). */
  publicUrl?: string;
  /** Largest accepted body (default 4 MiB: a flow import of 2 MiB, JSON-escaped). */
  maxBodyBytes?: number;
  /** Most calls in one batch (the web client's batch link sends at most 20). */
  maxBatchSize?: number;
  endpoint?: string;
};

const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
const DEFAULT_MAX_BATCH = 50;

/**
 * The tRPC endpoint: cross-site writes are refused (403 CROSS_SITE_REQUEST), bodies are capped while
 * they stream in (413, never buffered past the cap) and batches are capped (400).
 */
export function createTrpcHandler(options: TrpcHandlerOptions): (request: Request) => Promise<Response> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  return async (request) => {
    const refusal = crossSiteRefusal(request, options);
    if (refusal) return errorResponse(refusal);
    let req = request;
    if (request.body) {
      const body = await readCapped(request, maxBodyBytes);
      if (!body) return errorResponse(new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${maxBodyBytes} bytes`));
      req = new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal });
    }
    return fetchRequestHandler({
      endpoint: options.endpoint ?? "/api/trpc",
      req,
      router: appRouter,
      maxBatchSize: options.maxBatchSize ?? DEFAULT_MAX_BATCH,
      createContext: () => createTRPCContext({ deps: options.deps, authenticator: options.authenticator, request: req }),
    });
  };
}

/** The body, or null as soon as it passes `max` bytes (the rest is not read). */
async function readCapped(request: Request, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > max) {
    await request.body?.cancel().catch(() => undefined);
    return null;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function errorResponse(error: AppError): Response {
  return Response.json(errorBody(error), { status: error.status });
}
