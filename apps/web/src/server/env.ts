import fs from "node:fs";
import path from "node:path";
import { createEnv } from "@t3-oss/env-nextjs";
import type { ConnectOptions } from "@weft/db";
import { z } from "zod";

/** A configuration mistake: reported as its message alone, without a stack trace. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * The app's configuration, parsed ONCE from the environment (see `.env.example` at the repository
 * root). Server code reads `env`, never `process.env`; packages receive values from here.
 *
 * Also imported by `scripts/migrate.ts`, so `npm run db:migrate` opens exactly the database the
 * server opens. Keep this module free of Next-only imports and of the `@/` path alias.
 */
export const env = createEnv({
  server: {
    PORT: z.coerce.number({ error: "must be a port number" }).int().min(1).max(65_535).default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection URL")
      .optional(),
    WEFT_DATA_DIR: z.string().default(".data"),
    WEFT_EMBEDDED_DB_PORT: z.coerce.number({ error: "must be a port number" }).int().min(1).max(65_535).optional(),
    WEFT_ENCRYPTION_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64")
      .refine((value) => Buffer.from(value, "base64").length === 32, {
        message: "must be the base64 encoding of exactly 32 bytes (e.g. `openssl rand -base64 32`)",
      })
      .optional(),
    WEFT_HTTP_ALLOW_HOSTS: z
      .string()
      .optional()
      .transform((value) =>
        (value ?? "")
          .split(",")
          .map((host) => host.trim())
          .filter(Boolean),
      ),
    WEFT_PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: "must be the app's public http(s) URL, e.g. https://weft.example.com" })
      .optional(),
    WEFT_TRUST_PROXY: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
    CLERK_SECRET_KEY: z.string().optional(),
    CLERK_JWT_KEY: z.string().optional(),
    WEFT_SESSION_TTL_HOURS: z.coerce.number().positive().default(720),
    WEFT_ARTIFACT_MAX_BYTES: z.coerce.number({ error: "must be a number of bytes" }).int().positive().default(100 * 1024 * 1024),
    WEFT_ARTIFACT_QUOTA_BYTES: z.coerce.number({ error: "must be a number of bytes" }).int().positive().default(10 * 1024 * 1024 * 1024),
    WEFT_ARTIFACT_CONTENT_TYPES: z
      .string()
      .optional()
      .transform((value) => (value ?? "").split(",").map((t) => t.trim().toLowerCase()).filter(Boolean))
      .refine((types) => types.every((t) => /^[a-z0-9][\w.+-]*\/([a-z0-9][\w.+-]*|\*)$/.test(t)), "must be comma-separated type/subtype (or type/*)"),
    WEFT_S3_BUCKET: z.string().optional(),
    WEFT_S3_REGION: z.string().optional(),
    WEFT_S3_ENDPOINT: z.url({ error: "must be a URL" }).optional(),
    WEFT_S3_ACCESS_KEY_ID: z.string().optional(),
    WEFT_S3_SECRET_ACCESS_KEY: z.string().optional(),
    WEFT_S3_FORCE_PATH_STYLE: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
    WEFT_S3_PREFIX: z.string().optional(),
  },
  client: {
    NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: z.string().optional(),
  },
  // Server variables are read from process.env at runtime; NEXT_PUBLIC_* ones are inlined at build.
  experimental__runtimeEnv: {
    NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY,
  },
  // `FOO=` in a .env file means "unset", not "empty".
  emptyStringAsUndefined: true,
  onValidationError: (issues) => {
    const lines = issues.map((issue) => {
      const key = issue.path?.map((part) => (typeof part === "object" ? part.key : part)).join(".") ?? "?";
      return `  ${String(key)}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid environment variables (see .env.example):\n${lines.join("\n")}`);
  },
});

/** Clerk is used only when both keys are present; otherwise the app uses local auth. */
export const clerkEnabled = Boolean(env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY && env.CLERK_SECRET_KEY);

if (!clerkEnabled && (env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY || env.CLERK_SECRET_KEY)) {
  // Half a Clerk configuration would silently fall back to local auth: refuse it instead.
  throw new ConfigError(
    "Clerk is half configured: set both NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY and CLERK_SECRET_KEY (Clerk auth), or neither (local auth).",
  );
}

if (clerkEnabled && !env.WEFT_PUBLIC_URL) {
  // Clerk session tokens are only accepted from our own origin (authorizedParties), which must be known.
  throw new ConfigError("Clerk needs WEFT_PUBLIC_URL (the app's public URL): session tokens are accepted only from that origin.");
}

/** The origin of WEFT_PUBLIC_URL, when set. */
export const publicOrigin = env.WEFT_PUBLIC_URL ? new URL(env.WEFT_PUBLIC_URL).origin : undefined;

/** The repository root: the nearest folder above the working directory holding `drizzle/` (the app runs with cwd apps/web). */
export function findRepoRoot(from: string = process.cwd()): string {
  // turbopackIgnore: a runtime lookup, not a file the server bundle should trace.
  for (let dir = path.resolve(/*turbopackIgnore: true*/ from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "drizzle", "meta", "_journal.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No repository root (a folder with drizzle/) above ${from}`);
  }
}

export const repoRoot = findRepoRoot();

/** Folder of the embedded database and generated keys; a relative WEFT_DATA_DIR is relative to the repository root. */
export const dataDir = path.resolve(/*turbopackIgnore: true*/ repoRoot, env.WEFT_DATA_DIR);

/**
 * How this process reaches its database: DATABASE_URL when set, else the embedded PostgreSQL of the
 * data folder (joined when `npm start` runs it; started and owned by this process otherwise, e.g.
 * under `next dev` or a lone `npm run db:migrate`).
 */
export function connectOptions(owner: string): ConnectOptions {
  return {
    url: env.DATABASE_URL,
    dataDir,
    owner,
    startEmbedded: true,
    port: env.WEFT_EMBEDDED_DB_PORT,
    onLog: (line) => {
      if (/FATAL|PANIC|ERROR/.test(line)) console.error(`[weft] embedded postgres: ${line}`);
    },
  };
}
