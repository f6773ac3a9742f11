export * from "./core/status";
export * from "./core/transition";
export * from "./store/errors";
export * from "./store/execution-store";
export * from "./runtime/block";
export * from "./runtime/engine";
export * from "./runtime/commands";
export { createWeftEngine, type WeftEngineOptions } from "./create";
export { jsonSchemaProblem } from "./blocks";
