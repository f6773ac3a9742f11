// Live progress of a run in the terminal, from its events: a line per node state, AI tokens as they
// stream, a progress bar (interactive terminals only) and the final output. Without a TTY the output
// is plain lines, stable enough to compare with a golden transcript.
import cliProgress from "cli-progress";

/** The events the CLI shows (DESIGN.md section 5); anything else is ignored. */
export type RunEvent = { type: string; [key: string]: unknown };

export type ProgressOptions = {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  /** Nodes of the flow (the bar's total; loop iterations may add more). */
  total: number;
  /** Label per node id (block label, else id). */
  labels?: ReadonlyMap<string, string>;
};

export type Progress = {
  event(event: RunEvent): void;
  /** Stops the bar; prints the final output or error. */
  finish(result: { status: string; output?: unknown; error?: unknown }): void;
};

const at = (event: RunEvent) => (typeof event.iteration === "string" ? ` [${event.iteration}]` : "");

export function createProgress({ out, total, labels }: ProgressOptions): Progress {
  const tty = out.isTTY === true;
  let done = 0;
  let streaming: string | null = null;
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: " {bar} {value}/{total} nodes", clearOnComplete: true, hideCursor: true, stream: out, barsize: 30 },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(Math.max(total, 1), 0);
  const name = (id: unknown) => labels?.get(String(id)) ?? String(id);
  const line = (text: string) => {
    if (streaming !== null) {
      out.write("\n");
      streaming = null;
    }
    if (bar) {
      // Lines go above the bar: clear it, write, draw it again.
      out.write(`\r\x1b[2K${text}\n`);
      bar.render();
    } else out.write(`${text}\n`);
  };
  const advance = () => {
    done += 1;
    if (bar) bar.update(Math.min(done, bar.getTotal() < done ? done : bar.getTotal()));
    if (bar && done > bar.getTotal()) bar.setTotal(done);
  };

  return {
    event(event) {
      switch (event.type) {
        case "execution_start":
          line("● run started");
          break;
        case "node_start":
          line(`▶ ${name(event.nodeId)}${at(event)} (${String(event.blockType)})${Number(event.attempt) > 1 ? ` attempt ${String(event.attempt)}` : ""}`);
          break;
        case "node_stream":
          if (typeof event.delta === "string") {
            if (streaming !== event.nodeId) {
              if (streaming !== null) out.write("\n");
              out.write(`  ${name(event.nodeId)} › `);
              streaming = String(event.nodeId);
            }
            out.write(event.delta);
          } else if (Array.isArray(event.logs)) {
            for (const log of event.logs) line(`  ${name(event.nodeId)} ${logPrefix(log)}: ${logText(log)}`);
          }
          break;
        case "node_complete":
          advance();
          line(`✓ ${name(event.nodeId)}${at(event)}`);
          break;
        case "node_skipped":
          advance();
          line(`- ${name(event.nodeId)}${at(event)} skipped`);
          break;
        case "node_error": {
          const error = event.error as { code?: string; message?: string } | undefined;
          line(`✗ ${name(event.nodeId)}${at(event)}: ${error?.code ?? "ERROR"} ${error?.message ?? ""}`.trimEnd());
          break;
        }
        case "node_retry":
          line(`↻ ${name(event.nodeId)}${at(event)} retrying (attempt ${String(event.nextAttempt)})`);
          break;
        case "approval_requested":
          line(`? ${name(event.nodeId)} waits for approval: ${String(event.message)}`);
          break;
        case "execution_paused":
          line(`‖ paused (${String(event.reason)})`);
          break;
        case "execution_resumed":
          line("● resumed");
          break;
        default:
          break;
      }
    },
    finish({ status, output, error }) {
      if (streaming !== null) {
        out.write("\n");
        streaming = null;
      }
      bar?.stop();
      if (status === "completed") out.write(`● completed\n${JSON.stringify(output ?? null, null, 2)}\n`);
      else {
        const e = error as { code?: string; message?: string; nodeId?: string } | null | undefined;
        out.write(`● ${status}${e ? `: ${e.code ?? "ERROR"} ${e.message ?? ""}${e.nodeId ? ` (node ${e.nodeId})` : ""}` : ""}\n`);
      }
    },
  };
}

/** A console line of user code: a bare string, or `{ level, message, at? }` (see LogLine in @weft/flow). */
function logPrefix(log: unknown): string {
  const level = typeof log === "object" && log !== null && "level" in log ? String((log).level) : "log";
  return level === "log" || level === "info" ? "log" : level;
}

function logText(log: unknown): string {
  if (typeof log === "string") return log;
  if (typeof log === "object" && log !== null && "message" in log) return String((log).message);
  return JSON.stringify(log);
}
