import type { BlockExecutor } from "../runtime/block";
import { aiBlock, aiRouter } from "./ai";
import { httpBlock } from "./http";
import { delayBlock, functionBlock, parallelBlock, routerBlock, sinkBlock, sourceBlock } from "./simple";
import type { BlockServices } from "./types";

export type { BlockServices } from "./types";
export { inputForSchema, jsonSchemaProblem } from "./simple";

/** The registry: one executor per block type (loop and approval are handled by the runner itself). */
export function createBlockExecutors(services: BlockServices): BlockExecutor[] {
  return [
    sourceBlock,
    sinkBlock(services),
    functionBlock(services),
    routerBlock(services, aiRouter(services)),
    parallelBlock,
    delayBlock,
    httpBlock(services),
    aiBlock(services),
  ];
}
