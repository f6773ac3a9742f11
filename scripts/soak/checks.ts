/**
 * The soak's verdicts, as pure functions of rows read from the database (read-only) and of the calls
 * the local HTTP target recorded. Each returns its misses (empty = pass) and what it counted.
 * - every run is terminal (and, since every soak flow is meant to succeed, completed);
 * - event indexes are contiguous: 0..n-1 with n = next_event_index, `execution_start` first, one
 *   terminal event, last;
 * - no completed node ran twice: at most one `node_complete` per node and iteration, nothing of that
 *   node after it, the block row agreeing; an interrupted attempt run again (same node, same
 *   idempotency key) is a re-run, counted;
 * - HTTP calls per node match the block rows: one idempotency key per node and iteration, at least
 *   one call per finished attempt, never more calls than attempts started (`node_start` events).
 */
import { isTerminal, isTerminalEvent } from "@weft/flow";
import type { HttpCall } from "./target";

export type ExecutionRow = { id: string; status: string; tag: string | null; nextEventIndex: number; createdAt: Date; finishedAt: Date | null; error: string | null };
export type EventRow = { executionId: string; index: number; type: string; nodeId: string | null; iteration: string; attempt: number | null };
export type BlockRow = { executionId: string; nodeId: string; iteration: string; blockType: string; status: string; attempt: number };
export type CheckResult = { name: string; misses: string[]; counts: Record<string, number> };

const nodeKey = (executionId: string, nodeId: string, iteration: string) => `${executionId}/${nodeId}/${iteration}`;
const NODE_EVENTS = new Set(["node_start", "node_retry", "node_error", "node_complete", "node_skipped"]);

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

export function checkTerminal(executions: ExecutionRow[]): CheckResult {
  const misses: string[] = [];
  const counts: Record<string, number> = { runs: executions.length };
  for (const e of executions) {
    counts[e.status] = (counts[e.status] ?? 0) + 1;
    if (!isTerminal(e.status)) misses.push(`run ${e.id} is still ${e.status}`);
    else if (e.status !== "completed") misses.push(`run ${e.id} ended ${e.status} (every soak flow is meant to complete)${e.error ? `: ${e.error}` : ""}`);
  }
  return { name: "every run terminal", misses, counts };
}

export function checkEventIndexes(executions: ExecutionRow[], events: EventRow[]): CheckResult {
  const misses: string[] = [];
  const byRun = groupBy(events, (e) => e.executionId);
  let total = 0;
  for (const e of executions) {
    const list = [...(byRun.get(e.id) ?? [])].sort((a, b) => a.index - b.index);
    total += list.length;
    const gap = list.findIndex((ev, i) => ev.index !== i);
    if (gap >= 0) misses.push(`run ${e.id}: event index ${list[gap]!.index} where ${gap} was expected (${list.length} events)`);
    else if (list.length !== e.nextEventIndex) misses.push(`run ${e.id}: ${list.length} events stored but next_event_index is ${e.nextEventIndex}`);
    if (list.length === 0) continue;
    if (list[0]!.type !== "execution_start") misses.push(`run ${e.id}: the first event is ${list[0]!.type}`);
    const terminal = list.filter((ev) => isTerminalEvent(ev.type));
    if (isTerminal(e.status) && terminal.length !== 1) misses.push(`run ${e.id}: ${terminal.length} terminal events`);
    else if (terminal.length === 1 && !isTerminalEvent(list.at(-1)!.type)) misses.push(`run ${e.id}: events follow its terminal event`);
  }
  return { name: "event indexes contiguous", misses, counts: { events: total } };
}

type NodeHistory = { starts: number; retries: number; completes: number; afterComplete: string[] };

function nodeHistories(events: EventRow[]): Map<string, NodeHistory> {
  const histories = new Map<string, NodeHistory>();
  const sorted = [...events].sort((a, b) => (a.executionId === b.executionId ? a.index - b.index : a.executionId < b.executionId ? -1 : 1));
  for (const ev of sorted) {
    if (!ev.nodeId || !NODE_EVENTS.has(ev.type)) continue;
    const key = nodeKey(ev.executionId, ev.nodeId, ev.iteration);
    let h = histories.get(key);
    if (!h) histories.set(key, (h = { starts: 0, retries: 0, completes: 0, afterComplete: [] }));
    if (h.completes > 0) h.afterComplete.push(`${ev.type}#${ev.index}`);
    if (ev.type === "node_start") h.starts++;
    else if (ev.type === "node_retry") h.retries++;
    else if (ev.type === "node_complete") h.completes++;
  }
  return histories;
}

export function checkNodeRuns(events: EventRow[], blocks: BlockRow[]): CheckResult & { reruns: string[] } {
  const misses: string[] = [];
  const reruns: string[] = [];
  const histories = nodeHistories(events);
  const rows = new Map(blocks.map((b) => [nodeKey(b.executionId, b.nodeId, b.iteration), b]));
  for (const [key, h] of histories) {
    const row = rows.get(key);
    if (h.completes > 1) misses.push(`${key}: completed ${h.completes} times`);
    if (h.afterComplete.length > 0) misses.push(`${key}: ran again after it completed (${h.afterComplete.join(", ")})`);
    if (!row) {
      misses.push(`${key}: events but no block row`);
      continue;
    }
    if (h.completes <= 1 && (row.status === "completed") !== (h.completes === 1)) misses.push(`${key}: block row ${row.status} but ${h.completes} node_complete events`);
    if (h.completes > 1 || h.afterComplete.length > 0) continue; // a miss, not an in-flight re-run
    const extra = Math.max(0, h.starts - 1 - h.retries, row.attempt - 1 - h.retries);
    for (let i = 0; i < extra; i++) reruns.push(key);
  }
  for (const [key, row] of rows) {
    if (!histories.has(key)) misses.push(`${key}: block row ${row.status} with no event`);
  }
  return { name: "no completed node ran twice", misses, reruns, counts: { nodes: histories.size, reruns: reruns.length } };
}

export function checkHttpCalls(executions: ExecutionRow[], events: EventRow[], blocks: BlockRow[], calls: HttpCall[]): CheckResult {
  const misses: string[] = [];
  const runByTag = new Map(executions.filter((e) => e.tag).map((e) => [e.tag!, e.id]));
  const histories = nodeHistories(events);
  const callsByNode = new Map<string, HttpCall[]>();
  for (const call of calls) {
    const executionId = runByTag.get(call.tag);
    if (!executionId) {
      misses.push(`a call to /${call.path} for tag "${call.tag}" (node ${call.node}) belongs to no run`);
      continue;
    }
    const key = nodeKey(executionId, call.node, call.iteration);
    const list = callsByNode.get(key);
    if (list) list.push(call);
    else callsByNode.set(key, [call]);
  }
  let matched = 0;
  let rerunCalls = 0;
  const httpRows = blocks.filter((b) => b.blockType === "http");
  const httpKeys = new Set(httpRows.map((b) => nodeKey(b.executionId, b.nodeId, b.iteration)));
  for (const row of httpRows) {
    const key = nodeKey(row.executionId, row.nodeId, row.iteration);
    const got = callsByNode.get(key) ?? [];
    const h = histories.get(key) ?? { starts: 0, retries: 0, completes: 0, afterComplete: [] };
    const finished = h.retries + (row.status === "completed" || row.status === "failed" ? 1 : 0);
    const keys = new Set(got.map((c) => c.key));
    if (got.some((c) => !c.key)) misses.push(`${key}: a call without an Idempotency-Key`);
    else if (keys.size > 1) misses.push(`${key}: ${keys.size} different idempotency keys (${[...keys].join(", ")})`);
    if (got.length < finished) misses.push(`${key}: ${got.length} calls for ${finished} finished attempts`);
    if (got.length > Math.max(h.starts, row.attempt)) misses.push(`${key}: ${got.length} calls but only ${Math.max(h.starts, row.attempt)} attempts started`);
    if (got.length >= finished && got.length <= Math.max(h.starts, row.attempt)) matched++;
    rerunCalls += Math.max(0, got.length - finished);
  }
  for (const [key, got] of callsByNode) {
    if (!httpKeys.has(key)) misses.push(`${key}: ${got.length} calls but no HTTP block row`);
  }
  return { name: "HTTP calls match block rows", misses, counts: { calls: calls.length, http_nodes: httpRows.length, http_nodes_matched: matched, http_rerun_calls: rerunCalls } };
}
