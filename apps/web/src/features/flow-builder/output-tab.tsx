"use client";

import { useMemo, type ReactNode } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { isActive, renderTemplate } from "@weft/flow";
import { formatCost, formatDuration, formatTokens } from "@/features/executions/format";
import { StatusBadge } from "@/features/executions/status-badge";
import { useTRPC } from "@/trpc/client";
import { errorHint } from "./error-hints";
import type { BuilderNode } from "./store";

type BlockRun = {
  nodeId: string;
  iteration: string;
  status: string;
  attempt: number;
  input: unknown;
  output: unknown;
  error: unknown;
  metrics: { durationMs: number | null; tokensIn: number | null; tokensOut: number | null; costUsd: number | null };
};

/**
 * The selected block in the current or last run started here: status, attempts, duration, tokens,
 * cost, the error with its code and a hint, the input and output, and for AI blocks the prompt as
 * rendered from the run's data. Refreshes every second while the run is active.
 */
export function OutputTab({ workspaceId, executionId, node }: { workspaceId: string; executionId: string | null; node: BuilderNode }) {
  if (!executionId) {
    return (
      <p className="text-sm text-muted-foreground" data-testid="output-empty">
        Run the flow to see this block&apos;s input, output and timing here.
      </p>
    );
  }
  return <RunOutput workspaceId={workspaceId} executionId={executionId} node={node} />;
}

function RunOutput({ workspaceId, executionId, node }: { workspaceId: string; executionId: string; node: BuilderNode }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.executions.byId.queryOptions({ workspaceId, executionId }, { refetchInterval: (q) => (q.state.data && isActive(q.state.data.status) ? 1000 : false) }),
  );
  const run = query.data;
  const blocks = useMemo(() => (run?.blocks ?? []) as BlockRun[], [run]);
  const mine = blocks.filter((b) => b.nodeId === node.id);
  // Inside a loop a block runs once per iteration: the latest one is shown.
  const block = mine.at(-1);
  const prompt = useMemo(() => (node.type === "ai" && block ? renderedPrompt(node, block, blocks, run?.input) : null), [node, block, blocks, run?.input]);

  if (!run) return <p className="text-sm text-muted-foreground">{query.error ? query.error.message : "Loading the run…"}</p>;
  const runLink = (
    <Link href={`/w/${workspaceId}/executions/${executionId}`} className="underline underline-offset-4">
      run {executionId.slice(0, 8)}
    </Link>
  );
  if (!block) {
    return (
      <p className="text-sm text-muted-foreground" data-testid="output-not-run">
        This block has not run in {runLink}
        {isActive(run.status) ? " yet." : "."}
      </p>
    );
  }
  const error = block.error as { code?: string; message?: string; hint?: string } | null;
  const hint = errorHint(error);
  const tokens = block.metrics.tokensIn != null || block.metrics.tokensOut != null ? (block.metrics.tokensIn ?? 0) + (block.metrics.tokensOut ?? 0) : null;
  return (
    <div className="flex flex-col gap-4 text-sm" data-testid="output-tab">
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={block.status} />
        <span className="text-xs text-muted-foreground">In {runLink}</span>
        {mine.length > 1 ? <span className="text-xs text-muted-foreground">{mine.length} iterations, the last shown</span> : null}
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2" data-testid="output-metrics">
        <Metric label="Attempts">{block.attempt}</Metric>
        <Metric label="Duration">{formatDuration(block.metrics.durationMs)}</Metric>
        <Metric label="Tokens">{tokens == null ? "—" : `${formatTokens(tokens)} (${formatTokens(block.metrics.tokensIn)} in, ${formatTokens(block.metrics.tokensOut)} out)`}</Metric>
        <Metric label="Cost">{tokens == null && block.metrics.costUsd == null ? "—" : formatCost(block.metrics.costUsd)}</Metric>
      </dl>
      {error ? (
        <section aria-label="Error" className="flex flex-col gap-1 rounded-md border border-destructive/40 bg-destructive/5 p-2" data-testid="output-error">
          <p className="font-medium text-destructive">
            {error.code ? <span className="mr-1 font-mono text-xs">{error.code}</span> : null}
            {error.message ?? "Failed"}
          </p>
          {hint ? <p className="text-xs" data-testid="output-hint">{hint}</p> : null}
        </section>
      ) : null}
      {prompt ? <Json title="Prompt (rendered)" value={prompt} testId="output-prompt" /> : null}
      <Json title="Input" value={block.input} testId="output-input" />
      <Json title="Output" value={block.output} testId="output-output" />
    </div>
  );
}

function Metric({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="tabular-nums">{children}</dd>
    </div>
  );
}

function Json({ title, value, testId }: { title: string; value: unknown; testId: string }) {
  const text = value === undefined || value === null ? "—" : typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return (
    <section aria-label={title} className="flex flex-col gap-1">
      <h3 className="text-xs font-medium text-muted-foreground">{title}</h3>
      <pre data-testid={testId} className="max-h-72 overflow-auto rounded-md border border-border bg-muted/40 p-2 font-mono text-xs whitespace-pre-wrap break-words">
        {text}
      </pre>
    </section>
  );
}

/** An AI block's system prompt and prompt, filled in from this run's data (as the engine renders them). */
function renderedPrompt(node: BuilderNode, block: BlockRun, blocks: BlockRun[], runInput: unknown): string | null {
  const config = (node.data.config ?? {}) as { prompt?: unknown; systemPrompt?: unknown };
  const nodes = Object.fromEntries(blocks.filter((b) => b.status === "completed").map((b) => [b.nodeId, { output: b.output }]));
  const scope = { input: block.input, nodes, trigger: (runInput as { trigger?: unknown } | null)?.trigger ?? null, env: {} };
  const render = (template: unknown) => {
    if (typeof template !== "string" || !template.trim()) return null;
    try {
      const value = renderTemplate(template, scope);
      return typeof value === "string" ? value : JSON.stringify(value, null, 2);
    } catch (e) {
      return `(could not render: ${e instanceof Error ? e.message : "error"})`;
    }
  };
  const system = render(config.systemPrompt);
  const prompt = render(config.prompt);
  if (!system && !prompt) return null;
  return [system ? `System:\n${system}` : null, prompt ? `${system ? "User:\n" : ""}${prompt}` : null].filter(Boolean).join("\n\n");
}
