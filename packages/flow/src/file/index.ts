// Flows as files (`weft/v1`, YAML or JSON) and the two inherited workflow shapes.
export * from "./format";
export { defaultEdgeId, exportFlow, flowToFile, stringifyFlowFile, type ExportableFlow, type FlowFileFormat } from "./export";
export {
  FlowFileError,
  describeProblem,
  fileToGraph,
  parseFlowFile,
  type FileProblem,
  type FlowFileKind,
  type ImportedFlow,
  type ParseFlowFileResult,
} from "./import";
export { FLOW_FILE_SCHEMA_PATH, flowFileJsonSchema } from "./json-schema";
export { layoutPositions } from "./layout";
