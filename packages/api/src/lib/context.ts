import type { Db, NotifyBus, WorkspaceRole } from "@weft/db";
import type { ExecutionStore } from "@weft/engine";
import type { SecretBox } from "./crypto";

/** What every service needs, built once by the composition root. */
export type Deps = {
  db: Db;
  secrets: SecretBox;
  now: () => Date;
  sessionTtlMs: number;
  /** Failed sign-ins allowed per client address per window before 429. */
  signInLimit: { max: number; windowMs: number };
  /** LISTEN/NOTIFY on the database (live event streams, waking workers). */
  bus: NotifyBus;
  /** The engine's store: creating executions and sending them commands (any process may). */
  executions: ExecutionStore;
  /** The guarded (SSRF-safe) HTTP client, for calls the API makes itself (connections.test). */
  fetch: typeof fetch;
};

/** Who is calling, inside one workspace. `userId` is null for API keys. */
export type Actor = {
  workspaceId: string;
  role: WorkspaceRole;
  userId: string | null;
  apiKeyId?: string;
};

export type SessionUser = { id: string; email: string; name: string };
