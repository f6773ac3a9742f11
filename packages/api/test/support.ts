import { apiKeys, asc, auditLog, connections, eq, workspaceMembers, workspaces, type Db } from "@weft/db";
import { expect } from "vitest";
import { ZodError } from "zod";
import { AppError, formatPath } from "../src/lib/errors";
import type { SessionUser } from "../src/lib/context";
import type { TestApi } from "../src/testing";

/** A REST answer, read once: status, raw text (for "never contains" checks) and parsed JSON. */
export type RestAnswer<T = unknown> = { status: number; text: string; body: T };
export type ErrorBody = { error: { code: string; message: string; path?: string } };

export type RestCall = {
  headers?: Record<string, string>;
  body?: unknown;
};

/** Calls the real REST app in-process; a JSON body gets `content-type: application/json`. */
export function restClient(api: TestApi) {
  return async <T = unknown>(method: string, path: string, call: RestCall = {}): Promise<RestAnswer<T>> => {
    const headers: Record<string, string> = { ...(call.body !== undefined ? { "content-type": "application/json" } : {}), ...call.headers };
    const res = await api.rest.request(path, {
      method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    return { status: res.status, text, body: body as T };
  };
}

export type SignedUpUser = { user: SessionUser; cookie: string };

/** Signs a user up through `POST /api/auth/sign-up`: the user row and the session cookie header. */
export async function signUpUser(api: TestApi, name: string): Promise<SignedUpUser> {
  const res = await api.rest.request("/api/auth/sign-up", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `${name.toLowerCase()}@example.com`, password: "correct horse battery", name }),
  });
  expect(res.status).toBe(201);
  const { user } = (await res.json()) as { user: SessionUser };
  const token = /weft_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  expect(token).toBeTruthy();
  return { user, cookie: `weft_session=${token}` };
}

/** Every row a workspace owns in the tenancy tables, in a stable order, for before/after comparisons. */
export async function snapshotWorkspace(db: Db, workspaceId: string) {
  return {
    workspace: await db.select().from(workspaces).where(eq(workspaces.id, workspaceId)),
    members: await db.select().from(workspaceMembers).where(eq(workspaceMembers.workspaceId, workspaceId)).orderBy(asc(workspaceMembers.userId)),
    apiKeys: await db.select().from(apiKeys).where(eq(apiKeys.workspaceId, workspaceId)).orderBy(asc(apiKeys.id)),
    connections: await db.select().from(connections).where(eq(connections.workspaceId, workspaceId)).orderBy(asc(connections.id)),
    auditLog: await db.select().from(auditLog).where(eq(auditLog.workspaceId, workspaceId)).orderBy(asc(auditLog.id)),
  };
}

/** Awaits a tRPC call that must fail with `code`; returns the error for further checks. */
export async function expectTrpcError(call: Promise<unknown>, code: string): Promise<{ code: string; message: string; cause?: unknown }> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  expect(error, `expected the call to fail with ${code}`).toBeDefined();
  expect(error).toMatchObject({ code });
  return error as { code: string; message: string; cause?: unknown };
}

/** The offending field of a tRPC BAD_REQUEST: the zod issue's path (input schema) or the AppError's. */
export function fieldOf(error: { cause?: unknown }): string | undefined {
  if (error.cause instanceof ZodError) return formatPath(error.cause.issues[0]?.path ?? []);
  return error.cause instanceof AppError ? error.cause.path : undefined;
}

/** A REST error answer: the status and the error code. */
export function expectRestError(answer: RestAnswer, status: number, code: string) {
  expect(answer.status, answer.text).toBe(status);
  expect((answer.body as ErrorBody).error.code).toBe(code);
}

/** Runs `call` and checks that `take` (a snapshot of rows) reads the same before and after it. */
export async function expectUnchanged<T>(take: () => Promise<unknown>, call: () => Promise<T>): Promise<T> {
  const before = await take();
  const result = await call();
  expect(await take()).toEqual(before);
  return result;
}
