import { createRoute, z, type OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { TriggerType } from "@weft/db";
import type { Authenticator, Identity } from "../auth/authenticator";
import type { Actor, Deps, SessionUser } from "../lib/context";

/** Shared pieces of the REST app: route builders and the caller resolution every route uses. */
export type Caller = { kind: "apiKey"; actor: Actor } | { kind: "user"; identity: Identity };
export type Env = { Variables: { caller: Caller } };

export const ErrorResponse = z
  .object({ error: z.object({ code: z.string(), message: z.string(), path: z.string().optional() }) })
  .openapi("Error");
export const Json = z.unknown();
export const Uuid = z.uuid();


const ok = (description: string, status = 200) => ({
  [status]: { description, content: { "application/json": { schema: Json } } },
  400: { description: "Invalid input", content: { "application/json": { schema: ErrorResponse } } },
  401: { description: "Not signed in", content: { "application/json": { schema: ErrorResponse } } },
  404: { description: "Not found (also for other workspaces' ids)", content: { "application/json": { schema: ErrorResponse } } },
});

export function route<R extends Omit<RouteConfig, "responses">>(config: R & { status?: number; description: string }) {
  const { status, description, ...rest } = config;
  return createRoute({ ...rest, responses: ok(description, status) } as R & { responses: ReturnType<typeof ok> });
}

export const jsonBody = <S extends z.ZodType>(schema: S) => ({
  body: { content: { "application/json": { schema } }, required: true },
});

/** An optional JSON body (actions may be posted without one). */
export const optionalJsonBody = <S extends z.ZodType>(schema: S) => ({
  body: { content: { "application/json": { schema } }, required: false },
});

/** Runs started with an API key are `api` runs; with a session, `manual`. */
export const triggerOf = (c: Context<Env>): TriggerType => (c.get("caller").kind === "apiKey" ? "api" : "manual");


export type RestApp = OpenAPIHono<Env>;

/** What route modules get: services, and the caller as an actor in a workspace (404 when not a member). */
export type RestContext = {
  deps: Deps;
  authenticator: Authenticator;
  actorFor: (c: Context<Env>, workspaceId?: string) => Promise<Actor>;
  sessionUser: (c: Context<Env>) => SessionUser;
};
