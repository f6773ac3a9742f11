import { and, eq, isNull, runners } from "@weft/db";
import type { Deps } from "../../lib/context";
import { sha256 } from "../../lib/crypto";
import { RUNNER_CREDENTIAL_PREFIX } from "./runner-settings";

/** A runner as the protocol routes see it: its workspace and labels. */
export type RunnerIdentity = { runnerId: string; workspaceId: string; name: string; labels: string[] };

const TOUCH_EVERY_MS = 1_000;

/** The runner behind a bearer credential (last seen updated), or null when unknown or revoked. */
export async function authenticateRunner(deps: Deps, { credential }: { credential: string }): Promise<RunnerIdentity | null> {
  if (!credential.startsWith(RUNNER_CREDENTIAL_PREFIX) || credential.length > 200) return null;
  const [row] = await deps.db
    .select({ id: runners.id, workspaceId: runners.workspaceId, name: runners.name, labels: runners.labels, lastSeenAt: runners.lastSeenAt })
    .from(runners)
    .where(and(eq(runners.credentialHash, sha256(credential)), isNull(runners.revokedAt)));
  if (!row) return null;
  const now = deps.now();
  if (!row.lastSeenAt || now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await deps.db.update(runners).set({ lastSeenAt: now }).where(eq(runners.id, row.id));
  }
  return { runnerId: row.id, workspaceId: row.workspaceId, name: row.name, labels: row.labels };
}
