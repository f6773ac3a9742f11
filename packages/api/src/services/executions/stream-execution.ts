import { and, asc, eq, executionEvents, flowExecutions, gt } from "@weft/db";
import { isTerminal, isTerminalEvent } from "@weft/flow";
import type { Deps } from "../../lib/context";
import { AppError, notFound } from "../../lib/errors";
import { eventHubFor, nextMoment } from "./event-hub";

/**
 * The SSE stream of one execution's events (DESIGN.md section 5): the backlog from the table, then the
 * live tail pushed by `NOTIFY weft_execution_events` through the process's event hub.
 *
 * Race-free by construction: the stream subscribes to notifications before it reads the backlog; a
 * notification that arrives while a read is in flight only marks "read again" (wake-ups coalesce), and
 * every read asks for the events after the last index sent, so nothing is lost and nothing is sent
 * twice (duplicates are dropped by index).
 */

export type StreamExecutionOptions = {
  /** Interval of the `: ping` comment (default 15 s). */
  heartbeatMs?: number;
  /** The `retry:` sent first (default 2000 ms). */
  retryMs?: number;
  /** Events per read (default 1000); the next page is read once the client has taken the previous. */
  pageSize?: number;
  /** Tests: runs right after each backlog read, before its rows are sent (commit events here to race). */
  afterBacklogRead?: (info: { executionId: string; lastSentIndex: number; rows: number }) => void | Promise<void>;
};

export type StreamExecutionInput = {
  executionId: string;
  /** The resume point: events with index > `after` are sent (-1: from the first). */
  after: number;
  /** Resolves the caller in the execution's workspace; throws NOT_FOUND when the caller is not in it. */
  authorize: (workspaceId: string) => Promise<unknown>;
  /** The request's signal: the stream ends and unsubscribes when it aborts. */
  signal?: AbortSignal;
};

const configured = new WeakMap<object, StreamExecutionOptions>();

/** Default options for the streams served with these deps (tests: short heartbeat, race hooks). */
export function configureExecutionStreams(deps: Pick<Deps, "bus">, options: StreamExecutionOptions): void {
  configured.set(deps, options);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INDEX = /^(-1|0|[1-9][0-9]{0,9})$/;

/** The resume point: the `Last-Event-ID` header, else `?lastEventIndex=N`, else -1 (from the start). */
export function resumePoint(lastEventId: string | undefined, lastEventIndex: string | undefined): number {
  const raw = lastEventId?.trim() ? lastEventId.trim() : lastEventIndex?.trim() ? lastEventIndex.trim() : undefined;
  if (raw === undefined) return -1;
  const value = INDEX.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value > 2_147_483_647) {
    throw new AppError("BAD_REQUEST", "Last-Event-ID / lastEventIndex must be an event index (an integer >= -1)", {
      path: lastEventId?.trim() ? undefined : "lastEventIndex",
    });
  }
  return value;
}

type EventRow = { index: number; type: string; data: Record<string, unknown> };

const encoder = new TextEncoder();

const formatted = new WeakMap<EventRow, string>();
function formatEvent(row: EventRow): string {
  let text = formatted.get(row);
  if (text === undefined) {
    text = `id: ${row.index}\ndata: ${JSON.stringify({ index: row.index, event: { type: row.type, ...row.data } })}\n\n`;
    formatted.set(row, text);
  }
  return text;
}

/**
 * Reads shared between subscribers: readers of one execution woken by the same commit usually ask for
 * the same page ("after my last index"), so one query serves them all. A reader joins a query in
 * flight only when it was issued after the reader's wake-up (`minSeq`, a moment on this process's
 * clock of events): a query issued earlier might not see the commit that woke it.
 */
type SharedRead = { startSeq: number; rows: Promise<EventRow[]> };
const readsInFlight = new WeakMap<object, Map<string, SharedRead>>();

function readEvents(db: Deps["db"], executionId: string, after: number, limit: number, minSeq: number): Promise<EventRow[]> {
  let reads = readsInFlight.get(db);
  if (!reads) readsInFlight.set(db, (reads = new Map<string, SharedRead>()));
  const key = `${executionId}:${after}:${limit}`;
  const current = reads.get(key);
  if (current && current.startSeq > minSeq) return current.rows;
  const read: SharedRead = {
    startSeq: nextMoment(),
    // A real promise, run once (awaiting a drizzle query builder runs it again on every `then`).
    rows: db
      .select({ index: executionEvents.eventIndex, type: executionEvents.type, data: executionEvents.data })
      .from(executionEvents)
      .where(and(eq(executionEvents.executionId, executionId), gt(executionEvents.eventIndex, after)))
      .orderBy(asc(executionEvents.eventIndex))
      .limit(limit)
      .execute(),
  };
  reads.set(key, read);
  const done = () => {
    if (reads.get(key) === read) reads.delete(key);
  };
  read.rows.then(done, done);
  return read.rows;
}

/**
 * Checks access (unknown id, a non-uuid or another workspace's execution: NOT_FOUND, before any byte),
 * subscribes, and returns the SSE body. The caller wraps it in a `text/event-stream` response.
 */
export async function streamExecution(
  deps: Pick<Deps, "db" | "bus">,
  input: StreamExecutionInput,
  options: StreamExecutionOptions = configured.get(deps) ?? {},
): Promise<ReadableStream<Uint8Array>> {
  const { executionId, signal } = input;
  if (!UUID.test(executionId)) throw notFound("Execution");
  const [execution] = await deps.db
    .select({ workspaceId: flowExecutions.workspaceId, status: flowExecutions.status })
    .from(flowExecutions)
    .where(eq(flowExecutions.id, executionId));
  if (!execution) throw notFound("Execution");
  try {
    await input.authorize(execution.workspaceId);
  } catch (error) {
    // Same answer as an unknown id: whether the execution exists elsewhere is not disclosed.
    if (error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) throw notFound("Execution");
    throw error;
  }
  // Every event is committed with (or before) the transition to a terminal status: when the status
  // read above is terminal, the backlog is the whole log and the stream closes after it.
  const finishedAtOpen = isTerminal(execution.status);
  const pageSize = Math.max(1, options.pageSize ?? 1000);
  const heartbeatMs = options.heartbeatMs ?? 15_000;

  let lastSent = input.after;
  let closed = false;
  // True until the backlog read starts: a notification that comes first only marks "read again".
  let fetching = true;
  let again = false;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let onRoom: (() => void) | null = null;

  // The moment of the latest wake-up: a read must be issued after it to serve this reader.
  let wokeAt = 0;
  const onCommitted = (lastIndex: number, receivedAt: number) => {
    if (closed || lastIndex <= lastSent) return;
    wokeAt = Math.max(wokeAt, receivedAt);
    if (fetching) again = true;
    else void drain(false);
  };
  const unsubscribe = await eventHubFor(deps.bus).subscribe(executionId, onCommitted);
  // The backlog read must start after the subscription is live (a wake-up during the await is later).
  wokeAt = nextMoment();

  function finish(error?: unknown) {
    if (closed) return;
    closed = true;
    if (heartbeat) clearInterval(heartbeat);
    signal?.removeEventListener("abort", onAbort);
    unsubscribe();
    onRoom?.();
    onRoom = null;
    try {
      if (error === undefined) controller.close();
      else controller.error(error);
    } catch {
      // already closed or cancelled by the client
    }
  }
  function onAbort() {
    finish();
  }
  function send(text: string) {
    if (!closed && text) controller.enqueue(encoder.encode(text));
  }
  /** Backpressure: the next page is read once the client has taken what was queued. */
  async function room() {
    while (!closed && (controller.desiredSize ?? 0) <= 0) await new Promise<void>((resolve) => (onRoom = resolve));
  }

  async function drain(backlog: boolean) {
    fetching = true;
    try {
      do {
        again = false;
        for (;;) {
          await room();
          if (closed) return;
          const rows = await readEvents(deps.db, executionId, lastSent, pageSize, wokeAt);
          if (backlog) await options.afterBacklogRead?.({ executionId, lastSentIndex: lastSent, rows: rows.length });
          if (closed) return;
          let text = "";
          let done = false;
          for (const row of rows) {
            if (row.index <= lastSent) continue; // a duplicate (a concurrent read sent it already)
            text += formatEvent(row);
            lastSent = row.index;
            if (isTerminalEvent(row.type)) {
              done = true;
              break;
            }
          }
          const end = rows.length < pageSize;
          if (done || (backlog && end && finishedAtOpen)) {
            send(`${text}data: [DONE]\n\n`);
            finish();
            return;
          }
          send(text);
          if (end) break;
        }
        backlog = false;
      } while (again && !closed);
    } catch (error) {
      if (!closed) console.error(`[stream] execution ${executionId} failed`, error);
      // The client reconnects with Last-Event-ID and gets the rest.
      finish(error);
    } finally {
      fetching = false;
    }
  }

  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        onRoom?.();
        onRoom = null;
      },
      cancel() {
        finish();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );

  send(`retry: ${options.retryMs ?? 2000}\n\n`);
  if (signal?.aborted) {
    finish();
    return stream;
  }
  signal?.addEventListener("abort", onAbort, { once: true });
  heartbeat = setInterval(() => send(": ping\n\n"), heartbeatMs);
  heartbeat.unref?.();
  void drain(true);
  return stream;
}
