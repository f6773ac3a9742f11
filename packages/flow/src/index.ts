// @weft/flow: the flow format (PUBLIC contract), its validation and compilation, and templates.
// Isomorphic: runs in the browser and on the server; no node:* imports, no I/O.
export * from "./schema";
export * from "./template";
export {
  FlowValidationError,
  flowProblemCodes,
  formatPath,
  validateFlow,
  type FlowProblem,
  type FlowProblemCode,
  type FlowValidationResult,
} from "./validate";
export * from "./compile";
export * from "./models";
export * from "./templates";
export * from "./rerun-plan";
export * from "./file";
export * from "./variables";
export * from "./block-fields";
export * from "./schema-to-fields";
export * from "./status";
export * from "./events";
