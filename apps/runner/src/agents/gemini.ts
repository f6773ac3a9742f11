import { num, obj, parseJsonLine, short, str, type AgentAdapter, type AgentOutcome, type Permission, type RunnerMessage } from "../messages";

/**
 * Gemini CLI, headless: `gemini -p <prompt> --output-format stream-json` prints JSONL events: `init`
 * (session_id, model), `message` (role, content, delta), `tool_use` (tool_name, tool_id, parameters),
 * `tool_result` (tool_id, status, output), `error` (non-fatal), and `result` (status, error?, stats:
 * input_tokens, output_tokens, total_tokens, duration_ms, tool_calls). Gemini reports no cost.
 * Permission modes map onto `--approval-mode` (default, plan, auto_edit, yolo).
 */
const APPROVAL: Record<Permission, string> = { default: "default", plan: "plan", acceptEdits: "auto_edit", bypassPermissions: "yolo" };

export const gemini: AgentAdapter = {
  command: "gemini",
  args: (p) => ["-p", p.prompt, "--output-format", "stream-json", "--approval-mode", APPROVAL[p.permission], ...(p.model ? ["--model", p.model] : [])],
  parser() {
    const outcome: AgentOutcome = { text: "", sessionId: null, usage: null, costUsd: null, error: null };
    const toolNames = new Map<string, string>();
    return {
      outcome: () => ({ ...outcome }),
      line(raw) {
        const event = parseJsonLine(raw);
        if (!event) return raw.trim() ? [{ kind: "stdout", text: raw }] : [];
        const messages: RunnerMessage[] = [];
        switch (event.type) {
          case "init":
            outcome.sessionId = str(event.session_id);
            messages.push({ kind: "info", text: `Gemini session ${outcome.sessionId ?? "?"} (model ${str(event.model) ?? "?"})` });
            break;
          case "message":
            if (event.role === "assistant" && typeof event.content === "string") {
              outcome.text += event.content;
              messages.push({ kind: "text", text: event.content });
            }
            break;
          case "tool_use": {
            const name = str(event.tool_name) ?? "tool";
            toolNames.set(str(event.tool_id) ?? "", name);
            messages.push({ kind: "tool_use", text: `${name} ${short(event.parameters ?? {})}` });
            break;
          }
          case "tool_result": {
            const name = toolNames.get(str(event.tool_id) ?? "") ?? "tool";
            const failed = event.status === "error";
            const detail = failed ? (str(obj(event.error).message) ?? short(event.output ?? "")) : short(event.output ?? "");
            messages.push({ kind: failed ? "error" : "tool_result", text: `${name}: ${detail}` });
            break;
          }
          case "error":
            messages.push({ kind: "error", text: str(event.message) ?? "error" });
            break;
          case "result": {
            const stats = obj(event.stats);
            outcome.usage = { inputTokens: num(stats.input_tokens), outputTokens: num(stats.output_tokens), cachedInputTokens: num(stats.cached) };
            if (event.status === "error") {
              outcome.error = str(obj(event.error).message) ?? "the run failed";
              messages.push({ kind: "error", text: outcome.error });
            }
            messages.push({ kind: "usage", text: short({ ...outcome.usage, toolCalls: num(stats.tool_calls) }) });
            break;
          }
        }
        return messages;
      },
    };
  },
};
