import { formatDuration } from "@/features/executions/format";

type ToolCall = { name: string; args: unknown; result: unknown; error?: string; durationMs?: number | null };

const json = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value, null, 2));
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A finished test's output, by block type: an AI block's answer and its tool calls as cards (name,
 * arguments, result, duration), an HTTP block's status, headers and body, a router's chosen route;
 * anything else as JSON.
 */
export function TestResult({ type, output }: { type: string; output: unknown }) {
  if (type === "ai" && isObject(output)) {
    const toolCalls = (Array.isArray(output.toolCalls) ? output.toolCalls : []) as ToolCall[];
    return (
      <div className="flex flex-col gap-2">
        {toolCalls.map((call, i) => (
          <article key={i} className="rounded-md border border-border p-2 text-xs" data-testid="tool-card" aria-label={`Tool call ${call.name}`}>
            <header className="flex items-center justify-between">
              <span className="font-mono font-medium">{call.name}</span>
              <span className="text-muted-foreground">{formatDuration(call.durationMs ?? null)}</span>
            </header>
            <p className="mt-1 text-muted-foreground">Arguments</p>
            <pre className="overflow-auto rounded bg-muted p-1">{json(call.args)}</pre>
            <p className="mt-1 text-muted-foreground">{call.error ? "Error" : "Result"}</p>
            <pre className="overflow-auto rounded bg-muted p-1">{call.error ?? json(call.result)}</pre>
          </article>
        ))}
        <pre className="max-h-64 overflow-auto rounded-md bg-muted p-2 text-xs whitespace-pre-wrap" data-testid="test-output">
          {output.object !== undefined ? json(output.object) : typeof output.text === "string" ? output.text : ""}
        </pre>
      </div>
    );
  }
  if (type === "http" && isObject(output) && typeof output.status === "number") {
    return (
      <div className="flex flex-col gap-1 text-xs" data-testid="test-output">
        <p>
          Status <span className="font-mono font-medium" data-testid="http-status">{output.status}</span>
        </p>
        <details>
          <summary className="cursor-pointer text-muted-foreground">Headers</summary>
          <pre className="overflow-auto rounded bg-muted p-1">{json(output.headers)}</pre>
        </details>
        <pre className="max-h-64 overflow-auto rounded-md bg-muted p-2">{json(output.body)}</pre>
      </div>
    );
  }
  if (type === "router" && isObject(output) && typeof output.handle === "string") {
    return (
      <p className="text-xs" data-testid="test-output">
        Route chosen: <span className="font-mono font-medium" data-testid="router-route">{output.handle}</span>
      </p>
    );
  }
  return (
    <pre className="max-h-64 overflow-auto rounded-md bg-muted p-2 text-xs" data-testid="test-output">
      {json(output)}
    </pre>
  );
}
