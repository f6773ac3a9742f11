import type { ZodError } from "zod";

/** The closed list of error codes, each with its HTTP status (and tRPC code, in trpc/init.ts). */
export const errorStatus = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  /** A cookie-authenticated write sent from another site (lib/cross-site.ts). */
  CROSS_SITE_REQUEST: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** An error whose message is safe to show to the caller (4xx). 5xx are masked at the edge. */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** Dotted path of the offending field, for validation errors. */
  readonly path?: string;
  /** Seconds, for 429. */
  readonly retryAfter?: number;
  /** Every problem, when there are several (flow file import: line/column, path, node id and field). */
  readonly problems?: readonly object[];

  constructor(code: ErrorCode, message: string, options?: { path?: string; retryAfter?: number; cause?: unknown; problems?: readonly object[] }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.path = options?.path;
    this.retryAfter = options?.retryAfter;
    this.problems = options?.problems;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
export const forbidden = (message = "Your role in this workspace does not allow this") =>
  new AppError("FORBIDDEN", message);

/** `a.b[0].c: message` for the first issue of a zod error. */
export function fromZodError(error: ZodError): AppError {
  const issue = error.issues[0];
  const path = issue ? formatPath(issue.path) : "";
  const message = issue ? (path ? `${path}: ${issue.message}` : issue.message) : "Invalid input";
  return new AppError("BAD_REQUEST", message, { path: path || undefined, cause: error });
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

/** The body every HTTP error answers with. */
export function errorBody(error: AppError): { error: { code: ErrorCode; message: string; path?: string; problems?: readonly object[] } } {
  return {
    error: { code: error.code, message: error.message, ...(error.path ? { path: error.path } : {}), ...(error.problems ? { problems: error.problems } : {}) },
  };
}

export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
