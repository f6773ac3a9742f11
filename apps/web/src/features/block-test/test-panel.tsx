"use client";

import { useCallback, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Play, Square } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { TestHistory, type BlockTest } from "./test-history";
import { TestInput, type TestInputValue } from "./test-input";
import { TestLive } from "./test-live";

/** What is tested: a node of a flow's draft, or a saved block. */
export type TestTarget = { flowId: string; nodeId: string } | { blockId: string };

/** The node id the block has in its test run (a flow's node keeps its id; a saved block is `block`). */
const testNodeId = (target: TestTarget) => ("nodeId" in target ? target.nodeId : "block");

/**
 * The block test panel (builder's Test tab, Blocks page): an input (a form from the upstream source's
 * input schema, a past run's input, or JSON), Run and Cancel, the output streaming in with tool calls,
 * console lines and metrics, and the history with replay and compare. Viewers see the history only.
 */
export function TestPanel({
  workspaceId,
  target,
  canRun,
  inputSchema,
  beforeRun,
}: {
  workspaceId: string;
  target: TestTarget;
  canRun: boolean;
  /** The source's `inputSchema` when the block follows the source directly. */
  inputSchema?: unknown;
  /** Called before a test starts (the builder saves the draft); false stops it. */
  beforeRun?: () => Promise<boolean>;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState<{ executionId: string; testRunId: string; ended: boolean } | null>(null);
  const [input, setInput] = useState<TestInputValue>({ input: {}, error: null });
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const history = useQuery(trpc.blocks.tests.queryOptions({ workspaceId, ...target, limit: 20 }));
  const refresh = useCallback(() => {
    setCurrent((c) => (c ? { ...c, ended: true } : c));
    void queryClient.invalidateQueries({ queryKey: trpc.blocks.tests.pathKey() });
  }, [queryClient, trpc]);

  const start = async (how: () => Promise<{ executionId: string; testRunId: string }>) => {
    setError(null);
    setPending(true);
    try {
      const started = await how();
      setCurrent({ ...started, ended: false });
      void queryClient.invalidateQueries({ queryKey: trpc.blocks.tests.pathKey() });
    } catch (e) {
      setError(e instanceof Error ? e.message : "Could not start the test");
    } finally {
      setPending(false);
    }
  };

  const run = () =>
    start(async () => {
      if (input.error) throw new Error(input.error);
      if (beforeRun && !(await beforeRun())) throw new Error("Save the flow before testing a block");
      return client.blocks.test.mutate({ workspaceId, ...target, input: input.input });
    });
  const replay = (test: BlockTest, config: "current" | "original") =>
    start(async () => {
      if (config === "current" && beforeRun && !(await beforeRun())) throw new Error("Save the flow before testing a block");
      return client.blocks.replay.mutate({ workspaceId, testRunId: test.id, config });
    });
  const cancel = async () => {
    if (!current) return;
    try {
      await client.executions.cancel.mutate({ workspaceId, executionId: current.executionId });
    } catch (e) {
      setError(e instanceof Error ? e.message : "Could not cancel the test");
    }
  };
  const running = current !== null && !current.ended;

  return (
    <div className="flex flex-col gap-3" data-testid="test-panel">
      {canRun ? (
        <>
          <TestInput workspaceId={workspaceId} target={target} inputSchema={inputSchema} onChange={setInput} />
          <div className="flex gap-2">
            <Button type="button" size="sm" onClick={() => void run()} pending={pending} disabled={running}>
              <Play aria-hidden /> Run test
            </Button>
            <Button type="button" size="sm" variant="outline" onClick={() => void cancel()} disabled={!running}>
              <Square aria-hidden /> Cancel
            </Button>
          </div>
        </>
      ) : (
        <p className="text-xs text-muted-foreground">Viewers can read the test history; members run tests.</p>
      )}
      {error ? <Alert variant="error">{error}</Alert> : null}
      {current ? <TestLive key={current.executionId} executionId={current.executionId} nodeId={testNodeId(target)} onEnd={refresh} /> : null}
      <section aria-label="History" className="flex flex-col gap-1">
        <h3 className="text-xs font-semibold text-muted-foreground uppercase">History</h3>
        {history.error ? <Alert variant="error">{history.error.message}</Alert> : null}
        <TestHistory
          tests={history.data ?? []}
          canRun={canRun}
          onReplay={(test, config) => void replay(test, config)}
          onShow={(test) => test.executionId && setCurrent({ executionId: test.executionId, testRunId: test.id, ended: test.status !== "running" && test.status !== "pending" })}
        />
      </section>
    </div>
  );
}
