import type { Db, NotifyBus } from "@weft/db";
import { renderDeep, renderTemplate } from "@weft/flow";
import { createBlockExecutors, type BlockServices } from "./blocks";
import { createGuardedFetch, type GuardedFetchOptions } from "./http";
import type { LlmConnection } from "./llm";
import { createEngine, type EngineOptions } from "./runtime/engine";
import { createSandbox } from "./sandbox";

export type WeftEngineOptions = Omit<EngineOptions, "blocks" | "renderTemplate" | "evaluate"> & {
  db: Db;
  bus: NotifyBus;
  /** Hosts/CIDRs the guarded HTTP client may reach although private (WEFT_HTTP_ALLOW_HOSTS). */
  http?: GuardedFetchOptions;
  /** Decrypted credentials of a connection (the API's getConnectionSecret). */
  getConnection: (input: { workspaceId: string; connectionId: string }) => Promise<LlmConnection>;
  sandbox?: { timeoutMs?: number; memoryLimitBytes?: number };
};

/** Builds the engine with every real block executor: the composition roots (web, worker) call this. */
export async function createWeftEngine(options: WeftEngineOptions) {
  const sandbox = await createSandbox(options.sandbox);
  const services: BlockServices = {
    fetch: createGuardedFetch(options.http ?? {}),
    runFunction: (input) => sandbox.runFunction(input),
    evaluate: (input) => sandbox.evaluate(input),
    getConnection: options.getConnection,
    renderTemplate,
    renderDeep,
  };
  return createEngine({
    ...options,
    blocks: createBlockExecutors(services),
    renderTemplate: services.renderTemplate,
    evaluate: (expression, scope, signal) => sandbox.evaluate({ expression, scope, signal }),
  });
}
