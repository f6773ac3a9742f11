import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Authenticator, Identity } from "../auth/authenticator";
import type { Actor, Deps } from "../lib/context";
import { AppError, formatPath, type ErrorCode } from "../lib/errors";
import { requireRole } from "../lib/roles";
import { getMembership } from "../services/workspaces/get-membership";
import type { WorkspaceRole } from "@weft/db";

export type TRPCContext = { deps: Deps; identity: Identity | null };

export async function createTRPCContext({
  deps,
  authenticator,
  request,
}: {
  deps: Deps;
  authenticator: Authenticator;
  request: Request;
}): Promise<TRPCContext> {
  return { deps, identity: await authenticator.authenticate(request) };
}

const trpcCode = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  CROSS_SITE_REQUEST: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  INTERNAL: "INTERNAL_SERVER_ERROR",
} as const satisfies Record<ErrorCode, TRPCError["code"]>;

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : undefined;
    const issue = zod?.issues[0];
    const path = issue ? formatPath(issue.path) : error.cause instanceof AppError ? error.cause.path : undefined;
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      // 5xx details go to the log, never to the client.
      message: internal ? "Something went wrong on our side" : issue ? `${path ? `${path}: ` : ""}${issue.message}` : shape.message,
      // `data.path` is tRPC's procedure path; the offending input field goes in `data.field`.
      data: {
        ...shape.data,
        stack: undefined,
        field: path ?? null,
        problems: !issue && error.cause instanceof AppError ? (error.cause.problems ?? null) : null,
      },
    };
  },
});

/** Maps domain errors to tRPC errors; logs unexpected ones with an id. */
const errors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      throw new TRPCError({ code: trpcCode[cause.code], message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      console.error("[trpc] internal error", result.error.cause ?? result.error);
    }
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(errors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.identity) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { ...ctx, identity: ctx.identity, user: ctx.identity.user } });
});

/**
 * A procedure inside one workspace: `workspaceId` is part of its input, membership is checked (a
 * workspace the caller is not in answers 404), and `ctx.actor` carries the caller's role.
 */
export const workspaceProcedure = authedProcedure
  .input(z.object({ workspaceId: z.string() }))
  .use(async ({ ctx, input, next }) => {
    const membership = await getMembership(ctx.deps, { workspaceId: input.workspaceId, userId: ctx.user.id });
    const actor: Actor = { workspaceId: membership.workspaceId, role: membership.role, userId: ctx.user.id };
    return next({ ctx: { ...ctx, actor, workspaceName: membership.workspaceName } });
  });

const withRole = (min: WorkspaceRole) =>
  workspaceProcedure.use(({ ctx, next }) => {
    requireRole(ctx.actor.role, min);
    return next();
  });

/** Viewers read; members run and edit; admins manage connections, keys and members. */
export const memberProcedure = withRole("member");
export const adminProcedure = withRole("admin");
