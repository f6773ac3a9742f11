import "server-only";
import {
  createClerkAuthenticator,
  createLocalAuthenticator,
  type Authenticator,
} from "@weft/api/auth";
import { createArtifactSettings, createSecretBox, createTrpcHandler, resolveEncryptionKey, type Deps } from "@weft/api";
import { createRestApp } from "@weft/api/rest";
import { createNotifyBus } from "@weft/db";
import { createExecutionStore, createGuardedFetch } from "@weft/engine";
import { clerkEnabled, dataDir, env, publicOrigin } from "./env";
import { getDatabase } from "./db";

export type WeftApi = {
  deps: Deps;
  authenticator: Authenticator;
  rest: ReturnType<typeof createRestApp>;
  trpc: (request: Request) => Promise<Response>;
};

const globalForApi = globalThis as typeof globalThis & { __weftApi?: Promise<WeftApi> };

/** The composition root of the API: services, the authenticator (local or Clerk) and the REST app, built once. */
export function getApi(): Promise<WeftApi> {
  globalForApi.__weftApi ??= build().catch((error: unknown) => {
    globalForApi.__weftApi = undefined;
    throw error;
  });
  return globalForApi.__weftApi;
}

async function build(): Promise<WeftApi> {
  const handle = await getDatabase();
  const { db } = handle;
  const bus = createNotifyBus(handle);
  const deps: Deps = {
    db,
    bus,
    executions: createExecutionStore({ db, bus }),
    fetch: createGuardedFetch({ allowHosts: env.WEFT_HTTP_ALLOW_HOSTS }),
    secrets: createSecretBox(resolveEncryptionKey({ explicitKey: env.WEFT_ENCRYPTION_KEY, dataDir })),
    now: () => new Date(),
    sessionTtlMs: env.WEFT_SESSION_TTL_HOURS * 3600 * 1000,
    signInLimit: { max: 10, windowMs: 15 * 60 * 1000 },
    artifacts: createArtifactSettings({
      dataDir,
      maxBytes: env.WEFT_ARTIFACT_MAX_BYTES,
      quotaBytes: env.WEFT_ARTIFACT_QUOTA_BYTES,
      contentTypes: env.WEFT_ARTIFACT_CONTENT_TYPES,
      s3: {
        bucket: env.WEFT_S3_BUCKET,
        region: env.WEFT_S3_REGION,
        endpoint: env.WEFT_S3_ENDPOINT,
        accessKeyId: env.WEFT_S3_ACCESS_KEY_ID,
        secretAccessKey: env.WEFT_S3_SECRET_ACCESS_KEY,
        forcePathStyle: env.WEFT_S3_FORCE_PATH_STYLE === undefined ? undefined : env.WEFT_S3_FORCE_PATH_STYLE === "true",
        prefix: env.WEFT_S3_PREFIX,
      },
    }),
  };
  const authenticator =
    clerkEnabled && env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY && env.CLERK_SECRET_KEY
      ? createClerkAuthenticator(deps, {
          secretKey: env.CLERK_SECRET_KEY,
          publishableKey: env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY,
          jwtKey: env.CLERK_JWT_KEY,
          authorizedParties: publicOrigin ? [publicOrigin] : undefined,
        })
      : createLocalAuthenticator(deps);
  const publicUrl = env.WEFT_PUBLIC_URL;
  return {
    deps,
    authenticator,
    rest: createRestApp({ deps, authenticator, publicUrl, trustProxy: env.WEFT_TRUST_PROXY === "true" }),
    trpc: createTrpcHandler({ deps, authenticator, publicUrl }),
  };
}
