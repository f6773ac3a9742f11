import type { GuardedFetch } from "../http";
import type { LlmConnection } from "../llm";
import type { TemplateScope } from "../runtime/block";

/** What block executors need from the outside world, built once by the composition root. */
export type BlockServices = {
  /** The one guarded HTTP client (SSRF-safe); also used for LLM provider calls. */
  fetch: GuardedFetch;
  /** Runs user JavaScript in the QuickJS sandbox. */
  runFunction: (input: { code: string; input: unknown; ctx?: unknown; signal: AbortSignal }) => Promise<{
    value: unknown;
    logs: Array<{ level: string; message: string }>;
  }>;
  evaluate: (input: { expression: string; scope: Record<string, unknown>; signal: AbortSignal }) => Promise<unknown>;
  /** Decrypted provider credentials of a workspace's connection (404-style error when not there). */
  getConnection: (input: { workspaceId: string; connectionId: string }) => Promise<LlmConnection>;
  renderTemplate: (template: string, scope: TemplateScope) => unknown;
  renderDeep: (value: unknown, scope: TemplateScope) => unknown;
};
