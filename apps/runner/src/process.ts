import { spawn } from "node:child_process";

export type ProcessSpec = {
  /** The program and its arguments, passed as they are (no shell parses them). */
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Bytes of stdout and of stderr kept in the result (each); the rest is counted, not kept. */
  maxOutputBytes: number;
  /** Bytes of output streamed line by line to `onLine` (both streams together). */
  maxStreamBytes: number;
  signal?: AbortSignal;
  onLine?: (stream: "stdout" | "stderr", line: string) => void;
  /** After SIGTERM to the group, SIGKILL follows this much later. */
  killGraceMs?: number;
};

export type ProcessResult = {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Bytes not kept because of `maxOutputBytes`. */
  stdoutDroppedBytes: number;
  stderrDroppedBytes: number;
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
  /** The program could not be started (not found, not executable): its message. */
  spawnError: string | null;
};

/**
 * Runs one program in its own process group (detached) and, on cancel or timeout, kills the whole
 * group: SIGTERM, then SIGKILL after a grace period, so children and grandchildren a script started
 * go too. When the program exits, anything it left running in its group is killed as well.
 */
export function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  const startedAt = Date.now();
  const [program, ...args] = spec.argv;
  if (!program) return Promise.reject(new Error("argv is empty"));
  return new Promise((resolve) => {
    const out = capture(spec.maxOutputBytes);
    const err = capture(spec.maxOutputBytes);
    let streamed = 0;
    let timedOut = false;
    let cancelled = false;
    let spawnError: string | null = null;
    const child = spawn(program, args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const pid = child.pid;

    const killGroup = (signal: NodeJS.Signals) => {
      if (pid === undefined) return;
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    let killTimer: ReturnType<typeof setTimeout> | null = null;
    const stop = () => {
      killGroup("SIGTERM");
      killTimer ??= setTimeout(() => killGroup("SIGKILL"), spec.killGraceMs ?? 2_000);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, spec.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    if (spec.signal?.aborted) onAbort();
    else spec.signal?.addEventListener("abort", onAbort, { once: true });

    const lines = (stream: "stdout" | "stderr") => {
      let partial = "";
      return {
        push(chunk: string) {
          partial += chunk;
          let newline = partial.indexOf("\n");
          while (newline >= 0) {
            emit(stream, partial.slice(0, newline));
            partial = partial.slice(newline + 1);
            newline = partial.indexOf("\n");
          }
        },
        end() {
          if (partial) emit(stream, partial);
          partial = "";
        },
      };
    };
    const emit = (stream: "stdout" | "stderr", line: string) => {
      if (!spec.onLine || streamed >= spec.maxStreamBytes) return;
      streamed += Buffer.byteLength(line) + 1;
      spec.onLine(stream, streamed > spec.maxStreamBytes ? `${line.slice(0, 200)} … (output streaming capped at ${spec.maxStreamBytes} bytes)` : line);
    };
    const outLines = lines("stdout");
    const errLines = lines("stderr");
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      out.push(chunk);
      outLines.push(chunk);
    });
    child.stderr.on("data", (chunk: string) => {
      err.push(chunk);
      errLines.push(chunk);
    });

    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const finish = () => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      spec.signal?.removeEventListener("abort", onAbort);
      outLines.end();
      errLines.end();
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stdout: out.text(),
        stderr: err.text(),
        stdoutDroppedBytes: out.dropped(),
        stderrDroppedBytes: err.dropped(),
        durationMs: Date.now() - startedAt,
        timedOut,
        cancelled,
        spawnError,
      });
    };
    child.on("error", (error) => {
      spawnError = error.message;
      if (pid === undefined) finish();
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      // Whatever the program left behind in its group goes with it (a backgrounded child would
      // otherwise keep the pipes open and the step running).
      killGroup("SIGKILL");
    });
    child.on("close", finish);
  });
}

/** Keeps the first `max` bytes of a stream and counts the rest. */
function capture(max: number) {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = 0;
  return {
    push(chunk: string) {
      const bytes = Buffer.from(chunk);
      const room = max - kept;
      if (room <= 0) {
        dropped += bytes.length;
        return;
      }
      const take = bytes.subarray(0, room);
      chunks.push(take);
      kept += take.length;
      dropped += bytes.length - take.length;
    },
    text: () => Buffer.concat(chunks).toString("utf8"),
    dropped: () => dropped,
  };
}
