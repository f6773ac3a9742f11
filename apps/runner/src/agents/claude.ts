import { num, obj, parseJsonLine, short, str, type AgentAdapter, type AgentOutcome, type RunnerMessage } from "../messages";

/**
 * Claude Code, headless: `claude -p <prompt> --output-format stream-json --verbose` (stream-json
 * needs --verbose with -p). The permission mode is Claude Code's own `--permission-mode` (default,
 * plan, acceptEdits, bypassPermissions: the same four names). The stream: a `system`/`init` message
 * (session_id, model, tools), `assistant` messages whose content holds text and tool_use blocks,
 * `user` messages with tool_result blocks, and a final `result` (subtype, is_error, result,
 * session_id, total_cost_usd, usage).
 */
export const claude: AgentAdapter = {
  command: "claude",
  args: (p) => ["-p", p.prompt, "--output-format", "stream-json", "--verbose", "--permission-mode", p.permission, ...(p.model ? ["--model", p.model] : [])],
  parser() {
    const outcome: AgentOutcome = { text: "", sessionId: null, usage: null, costUsd: null, error: null };
    let streamedText = "";
    return {
      outcome: () => ({ ...outcome, text: outcome.text || streamedText }),
      line(raw) {
        const event = parseJsonLine(raw);
        if (!event) return raw.trim() ? [{ kind: "stdout", text: raw }] : [];
        const messages: RunnerMessage[] = [];
        outcome.sessionId = str(event.session_id) ?? outcome.sessionId;
        if (event.type === "system" && event.subtype === "init") {
          messages.push({ kind: "info", text: `Claude Code session ${str(event.session_id) ?? "?"} (model ${str(event.model) ?? "?"})` });
        } else if (event.type === "assistant" || event.type === "user") {
          const content = obj(event.message).content;
          for (const block of Array.isArray(content) ? content : []) {
            const b = obj(block);
            if (b.type === "text" && typeof b.text === "string") {
              messages.push({ kind: "text", text: b.text });
              streamedText += b.text;
            } else if (b.type === "tool_use") {
              messages.push({ kind: "tool_use", text: `${str(b.name) ?? "tool"} ${short(b.input ?? {})}` });
            } else if (b.type === "tool_result") {
              const text = Array.isArray(b.content) ? b.content.map((c) => str(obj(c).text) ?? "").join("") : short(b.content ?? "");
              messages.push({ kind: b.is_error ? "error" : "tool_result", text: short(text) });
            }
          }
        } else if (event.type === "result") {
          const usage = obj(event.usage);
          outcome.usage = { inputTokens: num(usage.input_tokens), outputTokens: num(usage.output_tokens), cachedInputTokens: num(usage.cache_read_input_tokens) };
          outcome.costUsd = num(event.total_cost_usd);
          if (typeof event.result === "string") outcome.text = event.result;
          if (event.is_error === true || (typeof event.subtype === "string" && event.subtype !== "success")) {
            outcome.error = `${str(event.subtype) ?? "error"}${typeof event.result === "string" && event.result ? `: ${event.result}` : ""}`;
            messages.push({ kind: "error", text: outcome.error });
          }
          messages.push({ kind: "usage", text: short({ ...outcome.usage, costUsd: outcome.costUsd, turns: num(event.num_turns) }) });
        }
        return messages;
      },
    };
  },
};
