"use client";

import { useCallback, useMemo } from "react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Alert } from "@/components/ui/alert";
import { Label } from "@/components/ui/label";
import { LocalTime } from "@/components/ui/local-time";
import { Select } from "@/components/ui/select";
import { TableHead } from "@/components/ui/table-head";
import { useTRPC } from "@/trpc/client";

const RANGES = { "24h": 1, "7d": 7, "30d": 30, "90d": 90 } as const;
type Range = keyof typeof RANGES;
const COLORS = ["#2563eb", "#db2777", "#16a34a", "#ea580c", "#7c3aed", "#0891b2", "#ca8a04", "#dc2626"];
const HOUR_MS = 3600 * 1000;

const usd = (v: number | null) => (v === null ? "unknown" : `$${v < 0.01 && v > 0 ? v.toFixed(6) : v.toFixed(4)}`);

/** Analytics from the exact rollups: accuracy over time, latency, cost by model and block, failure groups. Range and flow live in the URL. */
export function AnalyticsDashboard({ workspaceId, flows }: { workspaceId: string; flows: Array<{ id: string; name: string }> }) {
  const trpc = useTRPC();
  const searchParams = useSearchParams();
  const range: Range = (searchParams.get("range") as Range | null) && (searchParams.get("range") as string) in RANGES ? (searchParams.get("range") as Range) : "7d";
  const flowId = searchParams.get("flow") ?? "";
  const setParam = useCallback((key: string, value: string) => {
    const params = new URLSearchParams(window.location.search);
    if (value) params.set(key, value);
    else params.delete(key);
    window.history.replaceState(null, "", `${window.location.pathname}?${params.toString()}`);
  }, []);
  // The window ends at the next hour, so the query key stays the same for an hour.
  const { from, to } = useMemo(() => {
    // eslint-disable-next-line react-hooks/purity -- read once per range choice: the window is meant to stay put
    const end = new Date(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS);
    return { from: new Date(end.getTime() - RANGES[range] * 24 * HOUR_MS), to: end };
  }, [range]);
  const bucket = range === "24h" || range === "7d" ? "hour" : "day";
  const scope = { workspaceId, from, to, ...(flowId ? { flowId } : {}) };
  const blocks = useQuery(trpc.analytics.blocks.queryOptions({ ...scope, bucket }));
  const costs = useQuery(trpc.analytics.costs.queryOptions({ ...scope, groupBy: "node" }));
  const failures = useQuery(trpc.analytics.failures.queryOptions(scope));

  const nodeLabel = useCallback((flowName: string | null, nodeId: string) => (flowId ? nodeId : `${flowName ?? "flow"} / ${nodeId}`), [flowId]);

  const accuracy = useMemo(() => {
    const series = (blocks.data?.series ?? []).filter((s) => s.decisions > 0);
    const keys = [...new Set(series.map((s) => nodeLabel(s.flowName, s.nodeId)))];
    const byBucket = new Map<number, Record<string, number | string | null>>();
    for (const s of series) {
      const t = new Date(s.bucket).getTime();
      const row = byBucket.get(t) ?? { t };
      row[nodeLabel(s.flowName, s.nodeId)] = s.accuracy === null ? null : Math.round(s.accuracy * 1000) / 10;
      byBucket.set(t, row);
    }
    return { keys, rows: [...byBucket.values()].sort((a, b) => Number(a.t) - Number(b.t)) };
  }, [blocks.data, nodeLabel]);

  const latency = useMemo(
    () => (blocks.data?.totals ?? []).filter((n) => n.runs > 0).map((n) => ({ node: nodeLabel(n.flowName, n.nodeId), p50: n.p50DurationMs, p95: n.p95DurationMs })),
    [blocks.data, nodeLabel],
  );

  const cost = useMemo(() => {
    const rows = costs.data?.rows ?? [];
    const models = [...new Set(rows.flatMap((r) => (r.models ?? []).map((m) => m.model || "(none)")))];
    return {
      models,
      rows: rows.map((r) => ({ node: nodeLabel(r.flowName, r.nodeId ?? ""), ...Object.fromEntries((r.models ?? []).map((m) => [m.model || "(none)", m.knownCostUsd])) })),
      unknown: rows.reduce((n, r) => n + r.unknownCostCalls, 0),
    };
  }, [costs.data, nodeLabel]);

  const when = (t: number) => (bucket === "hour" ? new Date(t).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit" }) : new Date(t).toLocaleDateString());
  const error = blocks.error ?? costs.error ?? failures.error;

  return (
    <div className="flex flex-col gap-8">
      <div className="flex flex-wrap gap-3" role="group" aria-label="Filters">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="analytics-range">Range</Label>
          <Select id="analytics-range" value={range} onChange={(e) => setParam("range", e.target.value)}>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
            <option value="90d">Last 90 days</option>
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="analytics-flow">Flow</Label>
          <Select id="analytics-flow" value={flowId} onChange={(e) => setParam("flow", e.target.value)}>
            <option value="">All flows</option>
            {flows.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </Select>
        </div>
      </div>
      {error ? <Alert variant="error">{error.message}</Alert> : null}

      <section aria-labelledby="accuracy-heading" className="flex flex-col gap-2" data-testid="accuracy-chart">
        <h2 id="accuracy-heading" className="text-base font-semibold">
          Decision accuracy by block (%)
        </h2>
        <ul className="flex flex-wrap gap-3 text-xs" data-testid="accuracy-totals">
          {(blocks.data?.totals ?? [])
            .filter((n) => n.decisions > 0)
            .map((n) => (
              <li key={`${n.flowId}:${n.nodeId}`} data-node-id={n.nodeId} className="rounded border border-border px-2 py-1">
                {nodeLabel(n.flowName, n.nodeId)}: {n.accuracy === null ? "no feedback" : `${Math.round(n.accuracy * 1000) / 10}%`} ({n.feedbackCount} feedback)
              </li>
            ))}
        </ul>
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={accuracy.rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={when} />
              <YAxis domain={[0, 100]} />
              <Tooltip labelFormatter={(t) => when(Number(t))} />
              <Legend />
              {accuracy.keys.map((k, i) => (
                <Line key={k} dataKey={k} stroke={COLORS[i % COLORS.length]} connectNulls dot isAnimationActive={false} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      </section>

      <section aria-labelledby="latency-heading" className="flex flex-col gap-2">
        <h2 id="latency-heading" className="text-base font-semibold">
          Latency p50 / p95 (ms)
        </h2>
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={latency}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="node" />
              <YAxis />
              <Tooltip />
              <Legend />
              <Bar dataKey="p50" fill={COLORS[0]} isAnimationActive={false} />
              <Bar dataKey="p95" fill={COLORS[1]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </section>

      <section aria-labelledby="cost-heading" className="flex flex-col gap-2">
        <h2 id="cost-heading" className="text-base font-semibold">
          Cost by block and model (USD)
        </h2>
        {cost.unknown > 0 ? <p className="text-xs text-muted-foreground">{cost.unknown} model calls without a known price are not in these totals.</p> : null}
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={cost.rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="node" />
              <YAxis />
              <Tooltip formatter={(v) => usd(Number(v))} />
              <Legend />
              {cost.models.map((m, i) => (
                <Bar key={m} dataKey={m} stackId="cost" fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      </section>

      <section aria-labelledby="failures-heading" className="flex flex-col gap-2">
        <h2 id="failures-heading" className="text-base font-semibold">
          Failure groups
        </h2>
        {failures.data?.groups.length === 0 ? <p className="text-sm text-muted-foreground">No failed blocks in this range.</p> : null}
        {failures.data?.groups.length ? (
          <table className="w-full text-sm" data-testid="failure-groups">
            <TableHead columns={["Error", "Block", "Count", "Last seen", "Flows", "Sample runs"]} />
            <tbody>
              {failures.data.groups.map((g) => (
                <tr key={g.fingerprint} className="border-t border-border align-top" data-testid="failure-group">
                  <td className="py-2 pr-3">
                    <span className="font-mono text-xs">{g.code}</span> <span>{g.message}</span>
                  </td>
                  <td className="py-2 pr-3 font-mono text-xs">{g.blockType}</td>
                  <td className="py-2 pr-3 tabular-nums">{g.count}</td>
                  <td className="py-2 pr-3">
                    <LocalTime value={g.lastSeen} />
                  </td>
                  <td className="py-2 pr-3">{g.flows.map((f) => f.name ?? f.id).join(", ")}</td>
                  <td className="py-2">
                    <span className="flex flex-wrap gap-2">
                      {g.sampleExecutionIds.map((id) => (
                        <Link key={id} className="font-mono text-xs underline" href={`/w/${workspaceId}/executions/${id}`}>
                          {id.slice(0, 8)}
                        </Link>
                      ))}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}
