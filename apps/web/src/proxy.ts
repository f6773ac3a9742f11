import { clerkMiddleware } from "@clerk/nextjs/server";
import { NextResponse, type NextRequest } from "next/server";
import { clerkEnabled, env, publicOrigin } from "@/server/env";

// Clerk's middleware answers 500 when its keys are missing, so it is installed only when they are set
// (STACK.md). Local auth needs no proxy: pages and routes check the session cookie themselves.
function localAuthProxy(_request: NextRequest) {
  return NextResponse.next();
}

export default clerkEnabled
  ? clerkMiddleware({ jwtKey: env.CLERK_JWT_KEY, authorizedParties: publicOrigin ? [publicOrigin] : undefined })
  : localAuthProxy;

// Artifact uploads and downloads stay out of the proxy: Next buffers (and past 10 MB truncates) the
// body of every request a proxy sees, and the REST app authenticates these requests itself.
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/v1/executions/[^/]+/artifacts).*)"],
};
