import { createNotifyBus } from "@weft/db";
import { createTestDatabase, type TestDatabase } from "@weft/db/testing";
import { createExecutionStore, createGuardedFetch } from "@weft/engine";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDiskStorage } from "./lib/artifact-storage";
import { DEFAULT_ARTIFACT_CONTENT_TYPES } from "./services/artifacts/content-types";
import { createLocalAuthenticator } from "./auth/local";
import type { Deps } from "./lib/context";
import { createSecretBox } from "./lib/crypto";
import { createRestApp, type RestOptions } from "./rest/app";
import { createCaller } from "./trpc/root";

export type TestApi = {
  database: TestDatabase;
  deps: Deps;
  clock: { now: Date; advance(ms: number): void };
  rest: ReturnType<typeof createRestApp>;
  close(): Promise<void>;
};

/** A real database (the test run's embedded PostgreSQL, or DATABASE_URL), real services, the real REST app and a controllable clock. */
export async function createTestApi(overrides: Partial<Deps> & Pick<RestOptions, "clientAddress" | "trustProxy"> = {}): Promise<TestApi> {
  const database = await createTestDatabase();
  const clock = {
    now: new Date(),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const bus = createNotifyBus(database);
  const artifactDir = mkdtempSync(path.join(tmpdir(), "weft-artifacts-"));
  const deps: Deps = {
    db: database.db,
    bus,
    executions: createExecutionStore({ db: database.db, bus }),
    fetch: createGuardedFetch({ allowHosts: ["127.0.0.1"] }),
    secrets: createSecretBox(randomBytes(32)),
    now: () => clock.now,
    sessionTtlMs: 24 * 3600 * 1000,
    signInLimit: { max: 5, windowMs: 15 * 60 * 1000 },
    signUpLimit: { max: 1000, windowMs: 60 * 1000 },
    artifacts: {
      storage: createDiskStorage(artifactDir),
      maxBytes: 100 * 1024 * 1024,
      quotaBytes: 1024 * 1024 * 1024,
      allowedTypes: DEFAULT_ARTIFACT_CONTENT_TYPES,
    },
    ...overrides,
  };
  // Tests stand behind a trusted proxy (X-Forwarded-For picks the address) unless they say otherwise.
  const rest = createRestApp({
    deps,
    authenticator: createLocalAuthenticator(deps),
    clientAddress: overrides.clientAddress,
    trustProxy: overrides.trustProxy ?? true,
  });
  const close = async () => {
    await database.close();
    rmSync(artifactDir, { recursive: true, force: true });
  };
  return { database, deps, clock, rest, close };
}

/** A tRPC caller for a signed-in user (identity as the authenticator would produce it). */
export function callerFor(deps: Deps, user: { id: string; email: string; name: string } | null) {
  return createCaller({ deps, identity: user ? { user } : null });
}
