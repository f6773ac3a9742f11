"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { LocalTime } from "@/components/ui/local-time";
import { Select } from "@/components/ui/select";
import { useTRPC } from "@/trpc/client";
import { FeedbackForm, verdicts, type Decision, type Verdict } from "./feedback-form";

type Filters = { flow: string; node: string; feedback: string; category: string };
const readFilters = (params: URLSearchParams): Filters => ({
  flow: params.get("flow") ?? "",
  node: params.get("node") ?? "",
  feedback: params.get("feedback") ?? "none",
  category: params.get("category") ?? "",
});

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

const preview = (value: unknown) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text && text.length > 120 ? `${text.slice(0, 120)}…` : (text ?? "");
};

/**
 * The review queue: decisions filtered by flow, node, verdict and category (in the URL), driven by the
 * keyboard — j/k move, 1/2/3 give the verdict (saved at once), t jumps to the category tags.
 */
export function DecisionQueue({ workspaceId, flows, canEdit }: { workspaceId: string; flows: Array<{ id: string; name: string }>; canEdit: boolean }) {
  const trpc = useTRPC();
  const searchParams = useSearchParams();
  const filters = useMemo(() => readFilters(searchParams), [searchParams]);
  const setFilter = useCallback((patch: Partial<Filters>) => {
    const next = { ...readFilters(new URLSearchParams(window.location.search)), ...patch };
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v && !(k === "feedback" && v === "none")) params.set(k, v);
    if (next.feedback !== "none") params.set("feedback", next.feedback || "all");
    const search = params.toString();
    window.history.replaceState(null, "", `${window.location.pathname}${search ? `?${search}` : ""}`);
  }, []);

  const query = useQuery(
    trpc.decisions.list.queryOptions({
      workspaceId,
      limit: 100,
      ...(filters.flow ? { flowId: filters.flow } : {}),
      ...(filters.node ? { nodeId: filters.node } : {}),
      ...(filters.feedback && filters.feedback !== "all" ? { feedback: filters.feedback as "none" | Verdict } : {}),
      ...(filters.category ? { category: filters.category } : {}),
    }),
  );
  const categories = useQuery(trpc.decisions.categories.queryOptions({ workspaceId }));
  const items = useMemo(() => query.data?.items ?? [], [query.data]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const index = Math.max(0, items.findIndex((d) => d.id === selectedId));
  const selected: Decision | undefined = items[index];
  // A verdict keyed in belongs to the decision it was keyed on: when that decision leaves the list
  // (judged, no longer "to review"), the next one must not inherit it.
  const [keyed, setKeyed] = useState<{ value: Verdict; at: number; decisionId: string } | undefined>();
  const tagInput = useRef<HTMLInputElement>(null);
  const rows = useRef<Map<string, HTMLLIElement>>(new Map());

  const move = useCallback(
    (delta: number) => {
      if (items.length === 0) return;
      const next = items[Math.min(items.length - 1, Math.max(0, index + delta))]!;
      setSelectedId(next.id);
      setKeyed(undefined);
      rows.current.get(next.id)?.scrollIntoView({ block: "nearest" });
    },
    [items, index],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || isTyping(e.target)) return;
      if (e.key === "j") move(1);
      else if (e.key === "k") move(-1);
      else if (e.key === "t") {
        e.preventDefault();
        tagInput.current?.focus();
      } else {
        const verdict = verdicts.find((v) => v.key === e.key);
        if (verdict && selected && canEdit) setKeyed({ value: verdict.value, at: Date.now(), decisionId: selected.id });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [move, selected, canEdit]);

  return (
    <div className="flex flex-col gap-4">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" role="group" aria-label="Filters">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="filter-flow">Flow</Label>
          <Select id="filter-flow" value={filters.flow} onChange={(e) => setFilter({ flow: e.target.value })}>
            <option value="">All flows</option>
            {flows.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="filter-node">Node</Label>
          <Input id="filter-node" placeholder="Any node" defaultValue={filters.node} onBlur={(e) => setFilter({ node: e.target.value.trim() })} onKeyDown={(e) => e.key === "Enter" && setFilter({ node: e.currentTarget.value.trim() })} />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="filter-verdict">Verdict</Label>
          <Select id="filter-verdict" value={filters.feedback} onChange={(e) => setFilter({ feedback: e.target.value })}>
            <option value="none">To review (no feedback)</option>
            <option value="all">Any</option>
            <option value="correct">Correct</option>
            <option value="incorrect">Incorrect</option>
            <option value="partial">Partial</option>
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="filter-category">Category</Label>
          <Select id="filter-category" value={filters.category} onChange={(e) => setFilter({ category: e.target.value })}>
            <option value="">Any category</option>
            {(categories.data ?? []).map((c) => (
              <option key={c.id} value={c.name}>
                {c.name}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <p className="text-xs text-muted-foreground">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>1</kbd> correct, <kbd>2</kbd> incorrect, <kbd>3</kbd> partial, <kbd>t</kbd> tag.
      </p>
      {query.error ? <Alert variant="error">{query.error.message}</Alert> : null}
      {query.isSuccess && items.length === 0 ? (
        <EmptyState title="Nothing to review">AI and router decisions of your runs appear here.</EmptyState>
      ) : (
        <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <ul className="flex max-h-[70vh] flex-col gap-1 overflow-auto" aria-label="Decisions" data-testid="decision-queue">
            {items.map((d) => (
              <li
                key={d.id}
                ref={(el) => {
                  if (el) rows.current.set(d.id, el);
                  else rows.current.delete(d.id);
                }}
              >
                <button
                  type="button"
                  data-testid="decision-row"
                  data-decision-id={d.id}
                  aria-current={d.id === selected?.id ? "true" : undefined}
                  onClick={() => {
                    setSelectedId(d.id);
                    setKeyed(undefined);
                  }}
                  className={cn(
                    "flex w-full flex-col gap-0.5 rounded-md border px-3 py-2 text-left text-sm",
                    d.id === selected?.id ? "border-primary bg-accent" : "border-border hover:bg-accent/60",
                  )}
                >
                  <span className="flex items-center gap-2">
                    <span className="font-medium">{d.nodeId}</span>
                    <span className="text-xs text-muted-foreground">{d.flowName}</span>
                    {d.feedback ? <Badge variant={d.feedback.verdict === "correct" ? "success" : d.feedback.verdict === "incorrect" ? "destructive" : "warning"}>{d.feedback.verdict}</Badge> : null}
                    <span className="ml-auto text-xs text-muted-foreground">
                      <LocalTime value={d.createdAt} />
                    </span>
                  </span>
                  <span className="truncate font-mono text-xs text-muted-foreground">{d.route ? `→ ${d.route}` : preview(d.output)}</span>
                </button>
              </li>
            ))}
          </ul>
          {selected ? (
            <section aria-label="Selected decision" data-testid="decision-detail" className="flex flex-col gap-3 rounded-lg border border-border p-4">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-semibold">{selected.nodeId}</span>
                <span className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{selected.kind}</span>
                {selected.model ? <span className="text-xs text-muted-foreground">{selected.model}</span> : null}
                {selected.executionId ? (
                  <Link className="ml-auto text-xs underline" href={`/w/${workspaceId}/executions/${selected.executionId}`}>
                    Open run
                  </Link>
                ) : null}
              </div>
              <div className="grid gap-3 md:grid-cols-2">
                <div>
                  <h3 className="mb-1 text-xs font-medium text-muted-foreground">Input</h3>
                  <pre className="max-h-56 overflow-auto rounded bg-muted p-2 font-mono text-xs whitespace-pre-wrap">{JSON.stringify(selected.input, null, 2)}</pre>
                </div>
                <div>
                  <h3 className="mb-1 text-xs font-medium text-muted-foreground">{selected.route ? "Route" : "Output"}</h3>
                  <pre data-testid="decision-answer" className="max-h-56 overflow-auto rounded bg-muted p-2 font-mono text-xs whitespace-pre-wrap">
                    {selected.route ?? JSON.stringify(selected.output, null, 2)}
                  </pre>
                </div>
              </div>
              <FeedbackForm
                key={`${selected.id}:${selected.feedback?.at ? String(selected.feedback.at) : ""}`}
                workspaceId={workspaceId}
                decision={selected}
                canEdit={canEdit}
                verdict={keyed?.decisionId === selected.id ? keyed : undefined}
                tagInputRef={tagInput}
              />
            </section>
          ) : null}
        </div>
      )}
    </div>
  );
}
