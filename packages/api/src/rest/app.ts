import { OpenAPIHono, z } from "@hono/zod-openapi";
import { eq, workspaces } from "@weft/db";
import type { Context, Next } from "hono";
import { bodyLimit } from "hono/body-limit";
import { except } from "hono/combine";
import { deleteCookie, setCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import { randomUUID } from "node:crypto";
import type { Authenticator } from "../auth/authenticator";
import { readCookie, SESSION_COOKIE } from "../auth/authenticator";
import type { Actor, Deps } from "../lib/context";
import { crossSiteRefusal } from "../lib/cross-site";
import { AppError, errorBody, fromZodError, notFound } from "../lib/errors";
import { authenticateApiKey } from "../services/api-keys/authenticate-api-key";
import { createApiKey } from "../services/api-keys/create-api-key";
import { listApiKeys } from "../services/api-keys/list-api-keys";
import { revokeApiKey } from "../services/api-keys/revoke-api-key";
import { CreateApiKeyInput } from "../services/api-keys/schemas";
import type { NewSession } from "../services/auth/create-session";
import { SignInInput, SignUpInput } from "../services/auth/schemas";
import { signIn } from "../services/auth/sign-in";
import { signOut } from "../services/auth/sign-out";
import { signUp } from "../services/auth/sign-up";
import { createConnection } from "../services/connections/create-connection";
import { deleteConnection } from "../services/connections/delete-connection";
import { getConnection } from "../services/connections/get-connection";
import { listConnections } from "../services/connections/list-connections";
import { CreateConnectionInput, UpdateConnectionInput } from "../services/connections/schemas";
import { updateConnection } from "../services/connections/update-connection";
import { createWorkspace } from "../services/workspaces/create-workspace";
import { getMembership } from "../services/workspaces/get-membership";
import { inviteMember } from "../services/workspaces/invite-member";
import { listMembers } from "../services/workspaces/list-members";
import { listWorkspaces } from "../services/workspaces/list-workspaces";
import { removeMember } from "../services/workspaces/remove-member";
import { renameWorkspace } from "../services/workspaces/rename-workspace";
import { CreateWorkspaceInput, InviteMemberInput, RenameWorkspaceInput, Role } from "../services/workspaces/schemas";
import { updateMemberRole } from "../services/workspaces/update-member-role";

export type RestOptions = {
  deps: Deps;
  authenticator: Authenticator;
  /** The client's address for sign-in and sign-up throttling, null when unknown (default: see trustProxy). */
  clientAddress?: (request: Request) => string | null;
  /** WEFT_TRUST_PROXY: a proxy sets X-Forwarded-For, so its last hop is the client; otherwise the header is ignored. */
  trustProxy?: boolean;
  /** Largest accepted JSON body. */
  maxBodyBytes?: number;
  /** WEFT_PUBLIC_URL: an https address makes the session cookie Secure, and its origin may send writes. */
  publicUrl?: string;
};

/** Header that picks the workspace for cookie-authenticated calls (API keys carry their own). */
export const WORKSPACE_HEADER = "x-weft-workspace";

import { jsonBody, route, Uuid, type Env, type RestContext } from "./shared";
import { registerBlockRoutes } from "./routes/blocks";
import { registerConnectionTestRoutes } from "./routes/connections-test";
import { registerDecisionRoutes } from "./routes/decisions";
import { registerExecutionRoutes } from "./routes/executions";
import { FLOW_IMPORT_PATH, registerFlowFileRoutes } from "./routes/flow-files";
import { registerFlowRoutes } from "./routes/flows";
import { isArtifactUpload, registerRunCollabRoutes } from "./routes/run-collab";
import { registerRunnerProtocolRoutes, RUNNER_PROTOCOL_PREFIX } from "./routes/runner-protocol";
import { registerRunnerRoutes } from "./routes/runners";
import { registerScheduleRoutes } from "./routes/schedules";
import { registerStreamRoutes } from "./routes/stream";
import { registerVariableRoutes } from "./routes/variables";
import { registerWebhookRoutes, WEBHOOK_PATH_PREFIX } from "./routes/webhooks";

/**
 * The last X-Forwarded-For hop, which the trusted proxy appended. Without a trusted proxy the header is
 * the client's own word (Next.js passes it on as sent), so the address is unknown: null.
 */
const forwardedAddress = (trustProxy: boolean) => (request: Request): string | null => {
  if (!trustProxy) return null;
  const last = request.headers.get("x-forwarded-for")?.split(",").pop()?.trim();
  return last || null;
};

export function createRestApp(options: RestOptions) {
  const { deps, authenticator } = options;
  const clientAddress = options.clientAddress ?? forwardedAddress(options.trustProxy ?? false);
  const app = new OpenAPIHono<Env>({
    defaultHook: (result) => {
      if (!result.success) throw fromZodError(result.error);
    },
  });

  app.onError((error, c) => {
    if (error instanceof AppError) {
      if (error.retryAfter) c.header("Retry-After", String(error.retryAfter));
      return c.json(errorBody(error), error.status as 400);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 413 ? "PAYLOAD_TOO_LARGE" : error.status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : "BAD_REQUEST";
      return c.json(errorBody(new AppError(code, error.message || "Bad request")), error.status);
    }
    const id = randomUUID();
    console.error(`[rest] internal error ${id}`, error);
    return c.json({ error: { code: "INTERNAL", message: `Something went wrong on our side (error id ${id})` } }, 500);
  });
  app.notFound((c) => c.json(errorBody(notFound("Route")), 404));

  const isWebhook = (c: { req: { path: string } }) => c.req.path.startsWith(WEBHOOK_PATH_PREFIX);
  // Cookie-authenticated writes must come from our own pages (webhooks are called from anywhere).
  app.use("*", async (c, next) => {
    const refusal = isWebhook(c) ? null : crossSiteRefusal(c.req.raw, options);
    if (refusal) throw refusal;
    return next();
  });

  // Bodies: JSON only, size-limited, parsed before validation so bad JSON is a clear 400. Flow webhooks
  // take JSON, forms and text, each within its own webhook's limit (routes/webhooks.ts); flow import
  // takes YAML or JSON (routes/flow-files.ts checks the type).
  app.use("*", async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "DELETE" || isWebhook(c) || isArtifactUpload(c)) return next();
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "DELETE" || isWebhook(c) || c.req.path === FLOW_IMPORT_PATH) return next();
    const type = c.req.header("content-type");
    const length = c.req.header("content-length");
    // A body must be JSON; body-less commands (`curl -X POST .../cancel`) need no content type.
    const declaredBody = type === undefined && length !== undefined && length !== "0";
    if ((type !== undefined && !type.toLowerCase().startsWith("application/json")) || declaredBody) {
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json");
    }
    return next();
  });
  app.use(
    "*",
    except(
      [`${WEBHOOK_PATH_PREFIX}*`, isArtifactUpload],
      bodyLimit({
        maxSize: options.maxBodyBytes ?? 1024 * 1024,
        onError: () => {
          throw new AppError("PAYLOAD_TOO_LARGE", "The request body is too large");
        },
      }),
    ),
  );

  // ---- local auth ------------------------------------------------------------------------------
  const setSessionCookie = (c: Context, session: NewSession) =>
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: "Lax",
      path: "/",
      secure: new URL(options.publicUrl ?? c.req.url).protocol === "https:",
      expires: session.expiresAt,
    });
  const requireLocal = () => {
    if (authenticator.kind !== "local") throw new AppError("NOT_FOUND", "Sign-in is handled by Clerk on this server");
  };

  app.openapi(
    route({ method: "post", path: "/api/auth/sign-up", request: jsonBody(SignUpInput), status: 201, description: "Account created; session cookie set", tags: ["auth"] }),
    async (c) => {
      requireLocal();
      const { user, session } = await signUp(deps, { input: c.req.valid("json"), clientAddress: clientAddress(c.req.raw) });
      setSessionCookie(c, session);
      return c.json({ user }, 201);
    },
  );
  app.openapi(
    route({ method: "post", path: "/api/auth/sign-in", request: jsonBody(SignInInput), description: "Signed in; session cookie set", tags: ["auth"] }),
    async (c) => {
      requireLocal();
      const { user, session } = await signIn(deps, { input: c.req.valid("json"), clientAddress: clientAddress(c.req.raw) });
      setSessionCookie(c, session);
      return c.json({ user }, 200);
    },
  );
  app.openapi(route({ method: "post", path: "/api/auth/sign-out", description: "Signed out", tags: ["auth"] }), async (c) => {
    const token = readCookie(c.req.raw, SESSION_COOKIE);
    if (token) await signOut(deps, { token });
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.json({ ok: true }, 200);
  });
  app.openapi(route({ method: "get", path: "/api/auth/session", description: "The signed-in user", tags: ["auth"] }), async (c) => {
    const identity = await authenticator.authenticate(c.req.raw);
    if (!identity) throw new AppError("UNAUTHORIZED", "Not signed in");
    return c.json({ user: identity.user }, 200);
  });

  // ---- caller resolution: /api/v1/* and /api/executions/* (EventSource with the session cookie) ----
  const resolveCaller = async (c: Context<Env>, next: Next) => {
    // Runners authenticate with their own credential (routes/runner-protocol.ts).
    if (c.req.path === "/api/v1/openapi.json" || c.req.path.startsWith(RUNNER_PROTOCOL_PREFIX)) return next();
    // `weft_...` bearer tokens are API keys; other bearer tokens are Clerk session tokens (Clerk mode).
    const bearer = /^bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
    if (bearer && (bearer.startsWith("weft_") || authenticator.kind === "local")) {
      const actor = await authenticateApiKey(deps, { key: bearer });
      if (!actor) throw new AppError("UNAUTHORIZED", "Invalid or revoked API key");
      c.set("caller", { kind: "apiKey", actor });
      return next();
    }
    const identity = await authenticator.authenticate(c.req.raw);
    if (!identity) throw new AppError("UNAUTHORIZED", "Sign in or send Authorization: Bearer <API key>");
    c.set("caller", { kind: "user", identity });
    return next();
  };
  app.use("/api/v1/*", resolveCaller);
  app.use("/api/executions/*", resolveCaller);

  /** The caller as an actor in `workspaceId` (or, when absent, the workspace the request selects). */
  async function actorFor(c: Context<Env>, workspaceId?: string): Promise<Actor> {
    const caller = c.get("caller");
    if (caller.kind === "apiKey") {
      if (workspaceId && workspaceId !== caller.actor.workspaceId) throw notFound("Workspace");
      return caller.actor;
    }
    const userId = caller.identity.user.id;
    let id = workspaceId ?? c.req.header(WORKSPACE_HEADER) ?? c.req.query("workspaceId") ?? caller.identity.activeWorkspaceId;
    if (!id) {
      const [first] = await listWorkspaces(deps, { userId });
      if (!first) throw new AppError("NOT_FOUND", "You have no workspace yet: create one with POST /api/v1/workspaces");
      id = first.id;
    }
    const membership = await getMembership(deps, { workspaceId: id, userId });
    return { workspaceId: membership.workspaceId, role: membership.role, userId };
  }
  const sessionUser = (c: Context<Env>) => {
    const caller = c.get("caller");
    if (caller.kind !== "user") throw new AppError("FORBIDDEN", "API keys belong to one workspace; sign in to manage workspaces");
    return caller.identity.user;
  };

  const WorkspaceParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
  const idParam = (name: string) => z.object({ id: Uuid, [name]: Uuid }) as z.ZodObject<{ id: typeof Uuid } & Record<string, typeof Uuid>>;

  app.openapi(route({ method: "get", path: "/api/v1/me", description: "Who is calling, in which workspace", tags: ["workspaces"] }), async (c) => {
    const actor = await actorFor(c);
    const caller = c.get("caller");
    return c.json({ ...actor, user: caller.kind === "user" ? caller.identity.user : null }, 200);
  });

  // ---- workspaces --------------------------------------------------------------------------------
  app.openapi(route({ method: "get", path: "/api/v1/workspaces", description: "Your workspaces", tags: ["workspaces"] }), async (c) => {
    const caller = c.get("caller");
    if (caller.kind === "apiKey") {
      return c.json({ workspaces: [await workspaceSummary(caller.actor)] }, 200);
    }
    return c.json({ workspaces: await listWorkspaces(deps, { userId: caller.identity.user.id }) }, 200);
  });
  /** `{ id, name, role }` of the actor's workspace. */
  async function workspaceSummary(actor: Actor) {
    const [w] = await deps.db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).where(eq(workspaces.id, actor.workspaceId));
    if (!w) throw notFound("Workspace");
    return { ...w, role: actor.role };
  }
  app.openapi(
    route({ method: "post", path: "/api/v1/workspaces", request: jsonBody(CreateWorkspaceInput), status: 201, description: "Workspace created; you are its owner", tags: ["workspaces"] }),
    async (c) => c.json({ workspace: await createWorkspace(deps, { userId: sessionUser(c).id, input: c.req.valid("json") }) }, 201),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/workspaces/{id}", request: { params: WorkspaceParams }, description: "A workspace", tags: ["workspaces"] }),
    async (c) => {
      const actor = await actorFor(c, c.req.valid("param").id);
      return c.json({ workspace: await workspaceSummary(actor) }, 200);
    },
  );
  app.openapi(
    route({ method: "patch", path: "/api/v1/workspaces/{id}", request: { params: WorkspaceParams, ...jsonBody(RenameWorkspaceInput) }, description: "Renamed", tags: ["workspaces"] }),
    async (c) => {
      const actor = await actorFor(c, c.req.valid("param").id);
      return c.json({ workspace: await renameWorkspace(deps, { actor, input: c.req.valid("json") }) }, 200);
    },
  );

  // ---- members -----------------------------------------------------------------------------------
  app.openapi(
    route({ method: "get", path: "/api/v1/workspaces/{id}/members", request: { params: WorkspaceParams }, description: "Members", tags: ["members"] }),
    async (c) => c.json({ members: await listMembers(deps, { actor: await actorFor(c, c.req.valid("param").id) }) }, 200),
  );
  app.openapi(
    route({ method: "post", path: "/api/v1/workspaces/{id}/members", request: { params: WorkspaceParams, ...jsonBody(InviteMemberInput) }, status: 201, description: "Member added", tags: ["members"] }),
    async (c) => {
      const actor = await actorFor(c, c.req.valid("param").id);
      return c.json({ member: await inviteMember(deps, { actor, input: c.req.valid("json") }) }, 201);
    },
  );
  app.openapi(
    route({
      method: "patch",
      path: "/api/v1/workspaces/{id}/members/{userId}",
      request: { params: idParam("userId"), ...jsonBody(z.object({ role: Role })) },
      description: "Role changed",
      tags: ["members"],
    }),
    async (c) => {
      const { id, userId } = c.req.valid("param");
      const actor = await actorFor(c, id);
      return c.json({ member: await updateMemberRole(deps, { actor, input: { userId, role: c.req.valid("json").role } }) }, 200);
    },
  );
  app.openapi(
    route({ method: "delete", path: "/api/v1/workspaces/{id}/members/{userId}", request: { params: idParam("userId") }, description: "Member removed", tags: ["members"] }),
    async (c) => {
      const { id, userId } = c.req.valid("param");
      const actor = await actorFor(c, id);
      return c.json(await removeMember(deps, { actor, input: { userId } }), 200);
    },
  );

  // ---- API keys ----------------------------------------------------------------------------------
  app.openapi(
    route({ method: "get", path: "/api/v1/workspaces/{id}/api-keys", request: { params: WorkspaceParams }, description: "Keys (prefix only)", tags: ["api-keys"] }),
    async (c) => c.json({ apiKeys: await listApiKeys(deps, { actor: await actorFor(c, c.req.valid("param").id) }) }, 200),
  );
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/workspaces/{id}/api-keys",
      request: { params: WorkspaceParams, ...jsonBody(CreateApiKeyInput) },
      status: 201,
      description: "Key created; `key` is shown this once",
      tags: ["api-keys"],
    }),
    async (c) => {
      const actor = await actorFor(c, c.req.valid("param").id);
      const { apiKey, key } = await createApiKey(deps, { actor, input: c.req.valid("json") });
      return c.json({ ...apiKey, key }, 201);
    },
  );
  app.openapi(
    route({ method: "delete", path: "/api/v1/workspaces/{id}/api-keys/{apiKeyId}", request: { params: idParam("apiKeyId") }, description: "Key revoked", tags: ["api-keys"] }),
    async (c) => {
      const { id, apiKeyId } = c.req.valid("param");
      const actor = await actorFor(c, id);
      return c.json(await revokeApiKey(deps, { actor, input: { apiKeyId } }), 200);
    },
  );

  // ---- connections -------------------------------------------------------------------------------
  const ConnectionParams = z.object({ id: Uuid.openapi({ param: { name: "id", in: "path" } }) });
  app.openapi(route({ method: "get", path: "/api/v1/connections", description: "Connections (secrets never included)", tags: ["connections"] }), async (c) =>
    c.json({ connections: await listConnections(deps, { actor: await actorFor(c) }) }, 200),
  );
  app.openapi(
    route({ method: "post", path: "/api/v1/connections", request: jsonBody(CreateConnectionInput), status: 201, description: "Connection created", tags: ["connections"] }),
    async (c) => c.json({ connection: await createConnection(deps, { actor: await actorFor(c), input: c.req.valid("json") }) }, 201),
  );
  app.openapi(
    route({ method: "get", path: "/api/v1/connections/{id}", request: { params: ConnectionParams }, description: "A connection", tags: ["connections"] }),
    async (c) =>
      c.json({ connection: await getConnection(deps, { actor: await actorFor(c), input: { connectionId: c.req.valid("param").id } }) }, 200),
  );
  app.openapi(
    route({
      method: "patch",
      path: "/api/v1/connections/{id}",
      request: { params: ConnectionParams, ...jsonBody(UpdateConnectionInput.omit({ connectionId: true })) },
      description: "Connection updated",
      tags: ["connections"],
    }),
    async (c) => {
      const input = { ...c.req.valid("json"), connectionId: c.req.valid("param").id };
      return c.json({ connection: await updateConnection(deps, { actor: await actorFor(c), input }) }, 200);
    },
  );
  app.openapi(
    route({ method: "delete", path: "/api/v1/connections/{id}", request: { params: ConnectionParams }, description: "Connection deleted", tags: ["connections"] }),
    async (c) => c.json(await deleteConnection(deps, { actor: await actorFor(c), input: { connectionId: c.req.valid("param").id } }), 200),
  );

  const context: RestContext = { deps, authenticator, actorFor, sessionUser };
  registerFlowFileRoutes(app, context);
  registerFlowRoutes(app, context);
  registerVariableRoutes(app, context);
  registerScheduleRoutes(app, context);
  registerExecutionRoutes(app, context);
  registerRunCollabRoutes(app, context);
  registerBlockRoutes(app, context);
  registerDecisionRoutes(app, context);
  registerConnectionTestRoutes(app, context);
  registerStreamRoutes(app, context);
  registerRunnerRoutes(app, context);
  registerRunnerProtocolRoutes(app, context);
  registerWebhookRoutes(app, context);

  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Weft API", version: "1.0.0", description: "Authenticate with `Authorization: Bearer <API key>` or a session cookie." },
  });

  return app;
}

export type RestApp = ReturnType<typeof createRestApp>;
