// The statuses and their predicates live in packages/flow (one list for engine, API and web).
export {
  isActive,
  isNodeSettled,
  isTerminal,
  type BlockExecutionStatus,
  type ExecutionStatus,
} from "@weft/flow";
