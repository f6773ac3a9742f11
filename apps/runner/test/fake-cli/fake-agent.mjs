// Fake coding-agent CLIs for tests: `claude`, `codex` and `gemini` on PATH print their documented
// headless JSON streams. The prompt picks the case: one containing FAIL is an error run, SLOW a run
// that starts a child process and then waits (for cancel and timeout tests), anything else a run
// with a tool use. Each invocation appends its argv to $FAKE_AGENT_ARGV_LOG when set.
import { spawn } from "node:child_process";
import { appendFileSync, writeFileSync } from "node:fs";

export function fakeAgent(agent) {
  const args = process.argv.slice(2);
  if (process.env.FAKE_AGENT_ARGV_LOG) appendFileSync(process.env.FAKE_AGENT_ARGV_LOG, `${JSON.stringify({ agent, args, cwd: process.cwd() })}\n`);
  const prompt = agent === "codex" ? args[args.length - 1] : args[args.indexOf("-p") + 1];
  const out = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
  const mode = prompt.includes("FAIL") ? "fail" : prompt.includes("SLOW") ? "slow" : "ok";
  const slow = () => {
    const child = spawn("sleep", ["300"], { stdio: "ignore" });
    if (process.env.FAKE_AGENT_PID_FILE) writeFileSync(process.env.FAKE_AGENT_PID_FILE, JSON.stringify([process.pid, child.pid]));
    setTimeout(() => process.exit(0), 300_000);
  };
  STREAMS[agent](out, mode, prompt);
  if (mode === "slow") slow();
  else process.exitCode = mode === "fail" ? 1 : 0;
}

const STREAMS = {
  claude(out, mode, prompt) {
    const session_id = "claude-session-1";
    const model = "claude-sonnet-4-5";
    out({ type: "system", subtype: "init", session_id, model, cwd: process.cwd(), tools: ["Bash", "Read", "Edit"], permissionMode: "default" });
    out({
      type: "assistant",
      session_id,
      message: { id: "msg_1", role: "assistant", model, content: [{ type: "text", text: `Looking at: ${prompt}. ` }, { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } }], stop_reason: "tool_use", usage: { input_tokens: 50, output_tokens: 12 } },
    });
    if (mode === "slow") return;
    out({ type: "user", session_id, message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "README.md\nsrc", is_error: false }] } });
    if (mode === "fail") {
      out({ type: "result", subtype: "error_max_turns", is_error: true, session_id, duration_ms: 900, num_turns: 1, total_cost_usd: 0.002, usage: { input_tokens: 50, output_tokens: 12 } });
      return;
    }
    out({ type: "assistant", session_id, message: { id: "msg_2", role: "assistant", model, content: [{ type: "text", text: "Two entries." }], stop_reason: "end_turn", usage: { input_tokens: 70, output_tokens: 4 } } });
    out({ type: "result", subtype: "success", is_error: false, result: `Looking at: ${prompt}. Two entries.`, session_id, duration_ms: 1800, num_turns: 2, total_cost_usd: 0.0123, usage: { input_tokens: 120, output_tokens: 16, cache_read_input_tokens: 0 } });
  },
  codex(out, mode) {
    out({ type: "thread.started", thread_id: "codex-thread-1" });
    out({ type: "turn.started" });
    out({ type: "item.completed", item: { id: "item_0", type: "reasoning", text: "Listing the files first." } });
    out({ type: "item.started", item: { id: "item_1", type: "command_execution", command: "bash -lc ls", aggregated_output: "", exit_code: null, status: "in_progress" } });
    if (mode === "slow") return;
    out({ type: "item.completed", item: { id: "item_1", type: "command_execution", command: "bash -lc ls", aggregated_output: "README.md\nsrc\n", exit_code: 0, status: "completed" } });
    if (mode === "fail") {
      out({ type: "turn.failed", error: { message: "stream disconnected before completion" } });
      return;
    }
    out({ type: "item.completed", item: { id: "item_2", type: "agent_message", text: "Two entries." } });
    out({ type: "turn.completed", usage: { input_tokens: 200, cached_input_tokens: 50, output_tokens: 30 } });
  },
  gemini(out, mode) {
    const timestamp = new Date().toISOString();
    out({ type: "init", timestamp, session_id: "gemini-session-1", model: "gemini-2.5-pro" });
    out({ type: "message", timestamp, role: "user", content: "list the files" });
    out({ type: "tool_use", timestamp, tool_name: "list_directory", tool_id: "tool-1", parameters: { dir_path: "." } });
    if (mode === "slow") return;
    if (mode === "fail") {
      out({ type: "tool_result", timestamp, tool_id: "tool-1", status: "error", output: "", error: { type: "permission", message: "denied" } });
      out({ type: "error", timestamp, severity: "error", message: "API error: quota exceeded" });
      out({ type: "result", timestamp, status: "error", error: { type: "api", message: "quota exceeded" }, stats: { total_tokens: 10, input_tokens: 8, output_tokens: 2, duration_ms: 400, tool_calls: 1 } });
      return;
    }
    out({ type: "tool_result", timestamp, tool_id: "tool-1", status: "success", output: "Listed 2 item(s)." });
    out({ type: "message", timestamp, role: "assistant", content: "Two ", delta: true });
    out({ type: "message", timestamp, role: "assistant", content: "entries.", delta: true });
    out({ type: "result", timestamp, status: "success", stats: { total_tokens: 160, input_tokens: 140, output_tokens: 20, duration_ms: 1500, tool_calls: 1 } });
  },
};
