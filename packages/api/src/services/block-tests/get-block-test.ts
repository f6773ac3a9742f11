import { blockTestRuns, eq } from "@weft/db";
import type { Actor, Deps } from "../../lib/context";
import { notFound } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { selectBlockTests, type BlockTestView } from "./block-test-view";
import { BlockTestIdInput } from "./schemas";

/** One test of this workspace (404 for another workspace's). */
export async function getBlockTest(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<BlockTestView> {
  const { testRunId } = parseInput(BlockTestIdInput, input);
  const [row] = await selectBlockTests(deps, { workspaceId: actor.workspaceId, where: eq(blockTestRuns.id, testRunId), limit: 1 });
  if (!row) throw notFound("Test run");
  return row;
}
