import { eq, flowExecutions } from "@weft/db";
import { isTerminal } from "@weft/flow";
import type { Deps } from "../../lib/context";
import { eventHubFor } from "../executions/event-hub";

export type RunEnd = { status: string; output: unknown; error: unknown } | null;

/**
 * Waits until the execution ends or `timeoutMs` passes (null). Woken by the commit notifications of
 * the execution (LISTEN/NOTIFY, any process), not by polling; the state is read once after subscribing,
 * so an end committed before that is not missed.
 */
export async function waitForRun(deps: Deps, executionId: string, timeoutMs: number): Promise<RunEnd> {
  const deadline = Date.now() + timeoutMs;
  // Run by this process: its end is known here, as committed (nothing to read back). When it stops
  // without ending (a pause, a lost lease), whoever runs it next ends it: wait through the database.
  const local = deps.engine?.ended(executionId);
  if (local) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const end = await Promise.race([local, new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)))]);
    clearTimeout(timer);
    if (end === "timeout") return null;
    if (end) return end;
  }
  const read = async (): Promise<RunEnd> => {
    const [row] = await deps.db
      .select({ status: flowExecutions.status, output: flowExecutions.output, error: flowExecutions.error })
      .from(flowExecutions)
      .where(eq(flowExecutions.id, executionId));
    return row && isTerminal(row.status) ? row : null;
  };
  let wake: () => void = () => {};
  let pending = true;
  const unsubscribe = await eventHubFor(deps.bus).subscribe(executionId, () => {
    pending = true;
    wake();
  });
  try {
    for (;;) {
      if (pending) {
        pending = false;
        const end = await read();
        if (end) return end;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        if (pending) wake();
      });
    }
  } finally {
    unsubscribe();
  }
}
