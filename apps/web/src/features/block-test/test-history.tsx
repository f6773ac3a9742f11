"use client";

import { useState } from "react";
import { RotateCcw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import { StatusBadge } from "@/features/executions/status-badge";
import { formatCost, formatDuration } from "@/features/executions/format";
import type { RouterOutputs } from "@/trpc/client";
import { TestCompare } from "./test-compare";
import { formatRate } from "./metrics-row";

export type BlockTest = RouterOutputs["blocks"]["tests"][number];

/**
 * The test history, newest first: each test's status, metrics and a Replay (current config, or the
 * config it ran with); pick two to compare them side by side.
 */
export function TestHistory({
  tests,
  canRun,
  onReplay,
  onShow,
}: {
  tests: readonly BlockTest[];
  canRun: boolean;
  onReplay: (test: BlockTest, config: "current" | "original") => void;
  onShow: (test: BlockTest) => void;
}) {
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string) => setPicked((now) => (now.includes(id) ? now.filter((x) => x !== id) : [...now, id].slice(-2)));
  const pair = picked.map((id) => tests.find((t) => t.id === id)).filter((t): t is BlockTest => t !== undefined);
  if (tests.length === 0) return <p className="text-xs text-muted-foreground">No tests yet.</p>;
  return (
    <div className="flex flex-col gap-2">
      <ul className="flex flex-col divide-y divide-border rounded-md border border-border" aria-label="Test history" data-testid="test-history">
        {tests.map((test) => (
          <li key={test.id} className="flex items-center gap-2 px-2 py-1.5 text-xs" data-testid="test-history-item" data-test-id={test.id}>
            <input type="checkbox" aria-label={`Compare test ${test.id.slice(0, 8)}`} checked={picked.includes(test.id)} onChange={() => toggle(test.id)} />
            <button type="button" className="flex min-w-0 flex-1 items-center gap-2 text-left hover:underline" onClick={() => onShow(test)}>
              <StatusBadge status={test.status} />
              <span className="truncate text-muted-foreground">
                <LocalTime value={test.createdAt} /> · {formatDuration(test.durationMs)} · {formatRate(test.tokensPerSecond)} · {formatCost(test.costUsd)}
              </span>
            </button>
            {canRun ? (
              <>
                <Button type="button" size="sm" variant="ghost" onClick={() => onReplay(test, "current")} title="Replay with the current config" aria-label={`Replay test ${test.id.slice(0, 8)}`}>
                  <RotateCcw aria-hidden /> Replay
                </Button>
                <Button type="button" size="sm" variant="ghost" onClick={() => onReplay(test, "original")} title="Replay with the config it ran with" aria-label={`Replay test ${test.id.slice(0, 8)} with its original config`}>
                  Original
                </Button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {pair.length === 2 ? <TestCompare a={pair[1]!} b={pair[0]!} /> : picked.length === 1 ? <p className="text-xs text-muted-foreground">Pick one more test to compare.</p> : null}
    </div>
  );
}
