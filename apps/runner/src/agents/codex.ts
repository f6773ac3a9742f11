import { num, obj, parseJsonLine, short, str, type AgentAdapter, type AgentOutcome, type Permission, type RunnerMessage } from "../messages";

/**
 * Codex, non-interactive: `codex exec --json <prompt>` prints JSONL: `thread.started` (thread_id),
 * `turn.started`, `item.started` / `item.updated` / `item.completed` (items: agent_message, reasoning,
 * command_execution, file_change, mcp_tool_call, web_search, todo_list, error), then `turn.completed`
 * (usage: input_tokens, cached_input_tokens, output_tokens) or `turn.failed` (error.message), and
 * `error` for stream-level failures. Codex reports no cost.
 *
 * Permission modes map onto Codex's sandbox (exec never stops to ask): plan and default run
 * read-only, acceptEdits may write inside the workspace, bypassPermissions drops sandbox and
 * approvals. `--skip-git-repo-check` because a runner's work directory need not be a git checkout.
 */
const SANDBOX: Record<Permission, string[]> = {
  default: ["--sandbox", "read-only"],
  plan: ["--sandbox", "read-only"],
  acceptEdits: ["--sandbox", "workspace-write"],
  bypassPermissions: ["--dangerously-bypass-approvals-and-sandbox"],
};

export const codex: AgentAdapter = {
  command: "codex",
  args: (p) => ["exec", "--json", "--skip-git-repo-check", ...SANDBOX[p.permission], ...(p.model ? ["--model", p.model] : []), "--", p.prompt],
  parser() {
    const outcome: AgentOutcome = { text: "", sessionId: null, usage: null, costUsd: null, error: null };
    return {
      outcome: () => ({ ...outcome }),
      line(raw) {
        const event = parseJsonLine(raw);
        if (!event) return raw.trim() ? [{ kind: "stdout", text: raw }] : [];
        const messages: RunnerMessage[] = [];
        switch (event.type) {
          case "thread.started":
            outcome.sessionId = str(event.thread_id);
            messages.push({ kind: "info", text: `Codex thread ${outcome.sessionId ?? "?"}` });
            break;
          case "item.started":
          case "item.completed": {
            const item = obj(event.item);
            const done = event.type === "item.completed";
            if (item.type === "agent_message" && done) {
              const text = str(item.text) ?? "";
              outcome.text = outcome.text ? `${outcome.text}\n${text}` : text;
              messages.push({ kind: "text", text });
            } else if (item.type === "command_execution") {
              if (!done) messages.push({ kind: "tool_use", text: `shell ${str(item.command) ?? ""}` });
              else messages.push({ kind: "tool_result", text: short(`exit ${num(item.exit_code) ?? "?"}: ${str(item.aggregated_output) ?? ""}`) });
            } else if (item.type === "file_change" && done) {
              const changes = Array.isArray(item.changes) ? item.changes.map((c) => `${str(obj(c).kind) ?? "change"} ${str(obj(c).path) ?? ""}`) : [];
              messages.push({ kind: "tool_result", text: `files: ${changes.join(", ")}` });
            } else if (item.type === "mcp_tool_call") {
              messages.push({ kind: done ? "tool_result" : "tool_use", text: `${str(item.server) ?? "mcp"}.${str(item.tool) ?? "tool"} ${done ? (str(item.status) ?? "") : ""}`.trim() });
            } else if (item.type === "web_search" && !done) {
              messages.push({ kind: "tool_use", text: `web_search ${str(item.query) ?? ""}` });
            } else if (item.type === "error" && done) {
              messages.push({ kind: "error", text: str(item.message) ?? "error" });
            }
            break;
          }
          case "turn.completed": {
            const usage = obj(event.usage);
            outcome.usage = { inputTokens: num(usage.input_tokens), outputTokens: num(usage.output_tokens), cachedInputTokens: num(usage.cached_input_tokens) };
            messages.push({ kind: "usage", text: short(outcome.usage) });
            break;
          }
          case "turn.failed":
            outcome.error = str(obj(event.error).message) ?? "the turn failed";
            messages.push({ kind: "error", text: outcome.error });
            break;
          case "error":
            outcome.error = str(event.message) ?? "error";
            messages.push({ kind: "error", text: outcome.error });
            break;
        }
        return messages;
      },
    };
  },
};
