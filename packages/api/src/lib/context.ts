import type { Db, NotifyBus, WorkspaceRole } from "@weft/db";
import type { Engine, ExecutionStore } from "@weft/engine";
import type { ArtifactStorage } from "./artifact-storage";
import type { SecretBox } from "./crypto";

/** Artifact storage and its limits (env: WEFT_ARTIFACT_MAX_BYTES, WEFT_ARTIFACT_QUOTA_BYTES, WEFT_S3_*). */
export type ArtifactSettings = {
  storage: ArtifactStorage;
  /** Largest artifact, enforced while streaming (413, nothing stored). */
  maxBytes: number;
  /** Bytes of artifacts one workspace may keep (413 past it). */
  quotaBytes: number;
  /** Content types accepted (`type/subtype`, or `type/*`); anything else is 415. */
  allowedTypes: readonly string[];
};

/** What every service needs, built once by the composition root. */
export type Deps = {
  db: Db;
  secrets: SecretBox;
  now: () => Date;
  sessionTtlMs: number;
  /** Failed sign-ins allowed per client address per window before 429. */
  signInLimit: { max: number; windowMs: number };
  /** Sign-ups allowed per client address per window (ten times as many in all); default 10 per 10 min. */
  signUpLimit?: { max: number; windowMs: number };
  /** LISTEN/NOTIFY on the database (live event streams, waking workers). */
  bus: NotifyBus;
  /** The engine's store: creating executions and sending them commands (any process may). */
  executions: ExecutionStore;
  /** The guarded (SSRF-safe) HTTP client, for calls the API makes itself (connections.test). */
  fetch: typeof fetch;
  /** Files attached to runs. */
  artifacts: ArtifactSettings;
  /**
   * The engine of this process, when it runs one (web and engine in one process): runs this process
   * creates are started at once (direct dispatch) and a sync webhook waits for them in-process.
   */
  engine?: LocalEngine;
  /** Self-hosted runner protocol timings (services/runners/runner-settings.ts; defaults when absent). */
  runners?: { leaseMs?: number; pollMs?: number };
};

/** What the API uses of an in-process engine. */
export type LocalEngine = Pick<Engine, "lease" | "adopt" | "ended">;

/** Who is calling, inside one workspace. `userId` is null for API keys. */
export type Actor = {
  workspaceId: string;
  role: WorkspaceRole;
  userId: string | null;
  apiKeyId?: string;
};

export type SessionUser = { id: string; email: string; name: string };
