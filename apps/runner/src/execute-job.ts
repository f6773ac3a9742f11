import path from "node:path";
import { AGENTS } from "./agents";
import type { ClaimedJob, JobResult } from "./client";
import type { AgentPayload, RunnerMessage } from "./messages";
import { runProcess, type ProcessResult } from "./process";

export type ExecuteOptions = {
  workdir: string;
  /** Bytes of stdout and of stderr kept in a step's output (each). */
  maxOutputBytes: number;
  /** Bytes of an agent's JSONL transcript kept in its output. */
  maxTranscriptBytes: number;
  /** Bytes of output streamed to the server per step. */
  maxStreamBytes: number;
  killGraceMs?: number;
  /** The runner's own environment, passed on to steps (minus its credential). */
  baseEnv: NodeJS.ProcessEnv;
};

/** Where a step runs: `cwd` inside the work directory (a path that leaves it is refused). */
function stepDirectory(workdir: string, cwd: unknown): string | null {
  const root = path.resolve(workdir);
  const dir = path.resolve(root, typeof cwd === "string" ? cwd : ".");
  return dir === root || dir.startsWith(`${root}${path.sep}`) ? dir : null;
}

const fail = (code: string, message: string, output?: Record<string, unknown>, retryable?: boolean): JobResult => ({
  status: "failed",
  error: { code, message, ...(retryable === undefined ? {} : { retryable }) },
  ...(output ? { output } : {}),
});

/**
 * Runs one claimed step and says how it ended. `script`: `argv` run as it is (no shell), or `script`
 * run by `shell -c`; exit != 0 fails with SCRIPT_EXIT. `agent`: the CLI of `agent` in its headless
 * JSON mode. Cancel (the signal) kills the process group; the caller reports nothing then.
 */
export async function executeJob(job: ClaimedJob, options: ExecuteOptions, io: { signal: AbortSignal; emit: (messages: RunnerMessage[]) => void }): Promise<JobResult> {
  const payload = job.payload;
  const cwd = stepDirectory(options.workdir, payload.cwd);
  if (!cwd) return fail("RUNNER_CWD", `cwd "${String(payload.cwd)}" leaves the runner's work directory`);
  const timeoutMs = typeof payload.timeoutMs === "number" && payload.timeoutMs > 0 ? payload.timeoutMs : 10 * 60_000;
  const env = { ...options.baseEnv, ...job.env, WEFT_IDEMPOTENCY_KEY: job.idempotencyKey, WEFT_EXECUTION_ID: job.executionId, WEFT_NODE_ID: job.nodeId };
  const common = { cwd, env, timeoutMs, maxOutputBytes: options.maxOutputBytes, maxStreamBytes: options.maxStreamBytes, signal: io.signal, killGraceMs: options.killGraceMs };

  if (job.blockType === "script") {
    const argv = scriptArgv(payload);
    if (!argv) return fail("RUNNER_PAYLOAD", "A script step needs `argv` (a non-empty list of strings) or `shell` and `script`");
    const result = await runProcess({ ...common, argv, onLine: (stream, line) => io.emit([{ kind: stream, text: line }]) });
    const output = scriptOutput(result);
    if (result.spawnError) return fail("SCRIPT_START", `Could not start ${argv[0]}: ${result.spawnError}`, output);
    if (result.timedOut) return fail("NODE_TIMEOUT", `The script ran longer than ${timeoutMs} ms and was killed`, output, true);
    if (result.exitCode !== 0) {
      const tail = result.stderr.trim().split("\n").slice(-3).join("\n");
      return fail("SCRIPT_EXIT", `The script exited with ${result.exitCode === null ? `signal ${result.signal}` : `code ${result.exitCode}`}${tail ? `: ${tail}` : ""}`, output);
    }
    return { status: "completed", output };
  }

  if (job.blockType === "agent") {
    const agentPayload = payload as unknown as AgentPayload;
    const adapter = AGENTS[agentPayload.agent];
    if (!adapter || typeof agentPayload.prompt !== "string") return fail("RUNNER_PAYLOAD", `Unknown agent "${String(agentPayload.agent)}" or no prompt`);
    const parser = adapter.parser();
    let transcript = "";
    let transcriptDropped = 0;
    const result = await runProcess({
      ...common,
      // The transcript is the whole stdout: its own cap, separate from the output cap.
      maxOutputBytes: Math.max(options.maxOutputBytes, options.maxTranscriptBytes),
      argv: [adapter.command, ...adapter.args(agentPayload)],
      onLine: (stream, line) => {
        if (stream === "stderr") return io.emit([{ kind: "stderr", text: line }]);
        if (transcript.length + line.length + 1 <= options.maxTranscriptBytes) transcript += `${line}\n`;
        else transcriptDropped += line.length + 1;
        io.emit(parser.line(line));
      },
    });
    const outcome = parser.outcome();
    const output = {
      text: outcome.text,
      sessionId: outcome.sessionId,
      usage: outcome.usage,
      costUsd: outcome.costUsd,
      exitCode: result.exitCode,
      transcript,
      ...(transcriptDropped ? { transcriptDroppedBytes: transcriptDropped } : {}),
      stderr: result.stderr.slice(0, options.maxOutputBytes),
    };
    if (result.spawnError) return fail("AGENT_START", `Could not start ${adapter.command} (is it installed and on PATH?): ${result.spawnError}`, output);
    if (result.timedOut) return fail("NODE_TIMEOUT", `${adapter.command} ran longer than ${timeoutMs} ms and was killed`, output, true);
    if (result.exitCode !== 0 || outcome.error) {
      return fail("AGENT_FAILED", `${adapter.command} ${outcome.error ? `reported an error: ${outcome.error}` : `exited with code ${result.exitCode ?? result.signal}`}`, output);
    }
    return { status: "completed", output };
  }
  return fail("RUNNER_PAYLOAD", `This runner does not run "${job.blockType}" steps`);
}

function scriptArgv(payload: Record<string, unknown>): string[] | null {
  if (typeof payload.shell === "string" && typeof payload.script === "string") return [payload.shell, "-c", payload.script];
  const argv = payload.argv;
  if (Array.isArray(argv) && argv.length > 0 && argv.every((a) => typeof a === "string")) return argv;
  return null;
}

function scriptOutput(result: ProcessResult): Record<string, unknown> {
  return {
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    durationMs: result.durationMs,
    ...(result.stdoutDroppedBytes ? { stdoutTruncatedBytes: result.stdoutDroppedBytes } : {}),
    ...(result.stderrDroppedBytes ? { stderrTruncatedBytes: result.stderrDroppedBytes } : {}),
  };
}
