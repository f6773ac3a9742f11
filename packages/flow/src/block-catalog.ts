// The palette: what each block type is called, what it does, and which handles it has (part of the
// flow format's public contract, DESIGN.md section 3; re-exported by schema.ts).
import type { BlockConfigMap, BlockType, ParallelConfig, RouterConfig } from "./schema";

export type BlockCategory = "io" | "logic" | "code" | "ai" | "integration" | "human";

export interface BlockHandles {
  /** Whether the block accepts incoming edges. */
  inputs: boolean;
  /**
   * "single": one unnamed output handle (edges with `sourceHandle` null).
   * "named": handles named by config (router routes + default, parallel branches) and/or `staticOutputs`.
   * "none": no outputs.
   */
  outputs: "single" | "named" | "none";
  /** Named output handles that always exist (loop: `body`). */
  staticOutputs: readonly string[];
  /** Whether the unnamed output handle exists besides named ones (loop: yes, it continues after the loop). */
  defaultOutput: boolean;
}

export interface BlockCatalogEntry {
  type: BlockType;
  label: string;
  description: string;
  category: BlockCategory;
  handles: BlockHandles;
}

const single: BlockHandles = { inputs: true, outputs: "single", staticOutputs: [], defaultOutput: true };

/** The name of the loop handle whose reachable nodes form the loop body. */
export const LOOP_BODY_HANDLE = "body";

export const blockCatalog = {
  source: {
    type: "source",
    label: "Start",
    description: "Where a run begins; its output is the run input (optionally checked by a JSON Schema).",
    category: "io",
    handles: { inputs: false, outputs: "single", staticOutputs: [], defaultOutput: true },
  },
  sink: {
    type: "sink",
    label: "End",
    description: "Ends a path; its value (a template, or its input) becomes the execution output.",
    category: "io",
    handles: { inputs: true, outputs: "none", staticOutputs: [], defaultOutput: false },
  },
  function: {
    type: "function",
    label: "Function",
    description: "Runs JavaScript in a sandbox with `input` and `ctx`; the returned value is the output.",
    category: "code",
    handles: single,
  },
  router: {
    type: "router",
    label: "Router",
    description: "Sends the input down one route, chosen by expressions or by an AI model; other routes are skipped.",
    category: "logic",
    handles: { inputs: true, outputs: "named", staticOutputs: [], defaultOutput: false },
  },
  parallel: {
    type: "parallel",
    label: "Parallel",
    description: "Runs its branches at the same time and merges them: wait for all, any, or the first.",
    category: "logic",
    handles: { inputs: true, outputs: "named", staticOutputs: [], defaultOutput: false },
  },
  loop: {
    type: "loop",
    label: "Loop",
    description: "Runs the blocks on its body handle for each item of an array, or while a condition holds.",
    category: "logic",
    handles: { inputs: true, outputs: "named", staticOutputs: [LOOP_BODY_HANDLE], defaultOutput: true },
  },
  http: {
    type: "http",
    label: "HTTP request",
    description: "Calls a URL; the output is the status, headers and body of the response.",
    category: "integration",
    handles: single,
  },
  ai: {
    type: "ai",
    label: "AI",
    description: "Prompts a language model, optionally with tools and a structured output schema.",
    category: "ai",
    handles: single,
  },
  approval: {
    type: "approval",
    label: "Approval",
    description: "Pauses the run until someone approves or rejects it.",
    category: "human",
    handles: single,
  },
  delay: {
    type: "delay",
    label: "Delay",
    description: "Waits a fixed time, then passes its input on.",
    category: "logic",
    handles: single,
  },
} as const satisfies Record<BlockType, BlockCatalogEntry>;

/**
 * The output handles an edge leaving a node of this type may use, given its parsed config:
 * `null` stands for the unnamed handle. Returns `undefined` when any handle is accepted
 * (single-output blocks, and a parallel block without `branches`).
 */
export function allowedSourceHandles<T extends BlockType>(
  type: T,
  config: BlockConfigMap[T],
): readonly (string | null)[] | undefined {
  switch (type) {
    case "router": {
      const router = config as RouterConfig;
      const handles: string[] = router.routes.map((r) => r.handle);
      if (router.default !== undefined && !handles.includes(router.default)) handles.push(router.default);
      return handles;
    }
    case "parallel":
      return (config as ParallelConfig).branches;
    case "loop":
      return [LOOP_BODY_HANDLE, null];
    case "sink":
      return [];
    default:
      return undefined;
  }
}
