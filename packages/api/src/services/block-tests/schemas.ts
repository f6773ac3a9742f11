import { BlockType, NodeId } from "@weft/flow";
import { z } from "zod";

/** What a test runs: exactly one of `block` (unsaved), `blockId` (saved) or `flowId` + `nodeId` (a draft's node). */
const InlineBlock = z.object({
  type: BlockType,
  /** Checked against the type's schema (400 naming `block.config.<field>`). */
  config: z.record(z.string(), z.unknown()).default({}),
  label: z.string().max(200).optional(),
});

export const StartBlockTestInput = z
  .object({
    /**
     * An unsaved block. With `flowId` + `nodeId` it replaces that node's draft config (the builder's
     * unsaved edits), and the test is kept in that node's history.
     */
    block: InlineBlock.optional(),
    blockId: z.uuid().optional(),
    /** A version of `blockId` (default: the latest). */
    version: z.number().int().positive().optional(),
    flowId: z.uuid().optional(),
    nodeId: NodeId.optional(),
    /** What the block receives as its input (`{{ input }}`). */
    input: z.unknown().optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.flowId === undefined) !== (value.nodeId === undefined)) {
      ctx.addIssue({ code: "custom", path: [value.flowId === undefined ? "flowId" : "nodeId"], message: "give flowId and nodeId together" });
    }
    const kinds = [value.blockId !== undefined, value.flowId !== undefined, value.block !== undefined && value.flowId === undefined].filter(Boolean).length;
    if (kinds !== 1) ctx.addIssue({ code: "custom", path: ["block"], message: "give one of block, blockId, or flowId and nodeId" });
    if (value.version !== undefined && value.blockId === undefined) ctx.addIssue({ code: "custom", path: ["version"], message: "needs blockId" });
  });
export type StartBlockTestInput = z.infer<typeof StartBlockTestInput>;

export const ListBlockTestsInput = z
  .object({
    blockId: z.uuid().optional(),
    flowId: z.uuid().optional(),
    nodeId: NodeId.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .superRefine((value, ctx) => {
    if (value.blockId === undefined && (value.flowId === undefined || value.nodeId === undefined)) {
      ctx.addIssue({ code: "custom", path: [value.flowId === undefined ? "blockId" : "nodeId"], message: "give blockId, or flowId and nodeId" });
    }
  });
export type ListBlockTestsInput = z.infer<typeof ListBlockTestsInput>;

export const BlockTestIdInput = z.object({ testRunId: z.uuid() });

export const ReplayBlockTestInput = z.object({
  testRunId: z.uuid(),
  /** `current` (default): the block's config now; `original`: the config the test ran with. */
  config: z.enum(["current", "original"]).default("current"),
});
export type ReplayBlockTestInput = z.infer<typeof ReplayBlockTestInput>;
