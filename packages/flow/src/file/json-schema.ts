// The JSON Schema of `weft/v1` files, generated from the same zod schemas the importer uses, with
// each node's `config` typed by its block type so editors can complete it. Served at
// `/api/v1/schemas/flow-v1.json`; point an editor at it (`# yaml-language-server: $schema=<url>`).
import { z } from "zod";
import { blockConfigSchemas, blockTypes } from "../schema";
import { FlowFile, FlowFileNode } from "./format";

export const FLOW_FILE_SCHEMA_PATH = "/api/v1/schemas/flow-v1.json";

let cached: Record<string, unknown> | undefined;

export function flowFileJsonSchema(): Record<string, unknown> {
  if (cached) return cached;
  const typedNodes = blockTypes.map((type) =>
    FlowFileNode.extend({ type: z.literal(type), config: blockConfigSchemas[type].optional() }),
  );
  const schema = FlowFile.extend({ nodes: z.array(z.union(typedNodes)).min(1).max(1000) }).meta({
    title: "Weft flow (weft/v1)",
    description: "A Weft flow as a file: blocks, connections, phases and triggers. See DESIGN.md section 3.1.",
  });
  cached = {
    ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }),
    $id: FLOW_FILE_SCHEMA_PATH,
  };
  return cached;
}
