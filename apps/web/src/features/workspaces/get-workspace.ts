import "server-only";
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { requireSession } from "@/server/session";
import { getServerCaller } from "@/trpc/server";

/**
 * The signed-in user's view of one workspace (`{ id, name, role }`) for server components: a redirect
 * to sign-in without a session, a 404 for a workspace that does not exist or that the user is not in.
 * Cached per request, so the layout and the page share one lookup.
 */
export const getWorkspace = cache(async (workspaceId: string) => {
  const session = await requireSession();
  const caller = await getServerCaller();
  try {
    const workspace = await caller.workspaces.byId({ workspaceId });
    return { workspace, session, caller };
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") redirect("/sign-in");
    throw error;
  }
});

export type WorkspaceRole = "owner" | "admin" | "member" | "viewer";

/** Viewers read; members run and edit; admins manage connections, keys and members (DESIGN.md section 7). */
export const canManage = (role: WorkspaceRole) => role === "owner" || role === "admin";
