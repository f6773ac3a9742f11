"use client";

import { useState } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useTRPC, type RouterOutputs } from "@/trpc/client";

type Evaluation = RouterOutputs["patterns"]["evaluate"];

/** Patterns: suggestions to accept, the saved patterns with "evaluate", and a form to write one. */
export function PatternsManager({ workspaceId, canEdit }: { workspaceId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const patterns = useQuery(trpc.patterns.list.queryOptions({ workspaceId }));
  const suggestions = useQuery(trpc.patterns.suggestions.queryOptions({ workspaceId }));
  const [evaluations, setEvaluations] = useState<Record<string, Evaluation>>({});
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.patterns.pathKey() });
  const create = useMutation(trpc.patterns.create.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.patterns.delete.mutationOptions({ onSuccess: refresh }));
  const evaluate = useMutation(
    trpc.patterns.evaluate.mutationOptions({ onSuccess: (result, input) => setEvaluations((e) => ({ ...e, [input.patternId]: result })) }),
  );
  const [form, setForm] = useState({ name: "", when: "", expect: "" });

  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="suggestions-heading" className="flex flex-col gap-3">
        <h2 id="suggestions-heading" className="text-base font-semibold">
          Suggestions
        </h2>
        <p className="text-sm text-muted-foreground">Incorrect decisions that share a category and the same input values, proposed as patterns.</p>
        {suggestions.data?.length === 0 ? <p className="text-sm text-muted-foreground">No suggestions: tag incorrect decisions with categories in the review queue.</p> : null}
        <ul className="flex flex-col gap-2">
          {(suggestions.data ?? []).map((s) => (
            <li key={s.key} data-testid="suggestion" className="flex flex-wrap items-center gap-3 rounded-lg border border-border p-3 text-sm">
              <div className="flex min-w-0 flex-1 flex-col gap-1">
                <span className="font-medium">{s.name}</span>
                <code className="truncate text-xs text-muted-foreground">{s.when}</code>
                <span className="text-xs text-muted-foreground">
                  {s.count} decisions · {s.flowName ?? "flow"} · expect {JSON.stringify(s.expect)}
                </span>
              </div>
              {canEdit ? (
                <Button
                  type="button"
                  size="sm"
                  pending={create.isPending && create.variables?.when === s.when}
                  onClick={() =>
                    create.mutate({ workspaceId, name: s.name, description: s.description, flowId: s.flowId, nodeId: s.nodeId, when: s.when, expect: s.expect ?? undefined, exampleDecisionIds: s.sampleDecisionIds })
                  }
                >
                  Accept
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="patterns-heading" className="flex flex-col gap-3">
        <h2 id="patterns-heading" className="text-base font-semibold">
          Patterns
        </h2>
        {create.error ? <Alert variant="error">{create.error.message}</Alert> : null}
        {evaluate.error ? <Alert variant="error">{evaluate.error.message}</Alert> : null}
        {patterns.data?.length === 0 ? <EmptyState title="No patterns yet">Accept a suggestion or write one below.</EmptyState> : null}
        <ul className="flex flex-col gap-2">
          {(patterns.data ?? []).map((p) => {
            const result = evaluations[p.id];
            return (
              <li key={p.id} data-testid="pattern" className="flex flex-col gap-2 rounded-lg border border-border p-3 text-sm">
                <div className="flex flex-wrap items-center gap-3">
                  <span className="font-medium">{p.name}</span>
                  {p.nodeId ? <span className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{p.nodeId}</span> : null}
                  <span className="ml-auto flex gap-2">
                    <Button type="button" size="sm" variant="outline" pending={evaluate.isPending && evaluate.variables?.patternId === p.id} disabled={!canEdit} onClick={() => evaluate.mutate({ workspaceId, patternId: p.id })}>
                      Evaluate
                    </Button>
                    {canEdit ? (
                      <Button type="button" size="sm" variant="destructive-outline" onClick={() => remove.mutate({ workspaceId, patternId: p.id })}>
                        Delete
                      </Button>
                    ) : null}
                  </span>
                </div>
                <code className="text-xs text-muted-foreground">
                  when {p.when} → expect {JSON.stringify(p.expect)}
                </code>
                {result ? (
                  <p data-testid="evaluation" className="text-xs">
                    Matched <strong>{result.matched}</strong> of {result.evaluated} decisions; <strong>{result.right}</strong> right, <strong>{result.wrong}</strong> wrong
                    {result.errors ? `, ${result.errors} errors` : ""} ({result.rightBy === "expect" ? "answer equals expect" : "feedback"}).
                    {result.samples.wrong.length ? (
                      <>
                        {" "}
                        <Link className="underline" href={`/w/${workspaceId}/decisions?feedback=all`}>
                          Review decisions
                        </Link>
                      </>
                    ) : null}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      </section>

      {canEdit ? (
        <section aria-labelledby="new-pattern-heading" className="flex flex-col gap-3">
          <h2 id="new-pattern-heading" className="text-base font-semibold">
            New pattern
          </h2>
          <form
            className="grid gap-3 md:grid-cols-3"
            onSubmit={(e) => {
              e.preventDefault();
              let expect: unknown;
              try {
                expect = form.expect ? JSON.parse(form.expect) : undefined;
              } catch {
                expect = form.expect;
              }
              create.mutate({ workspaceId, name: form.name, when: form.when, expect }, { onSuccess: () => setForm({ name: "", when: "", expect: "" }) });
            }}
          >
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="pattern-name">Name</Label>
              <Input id="pattern-name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="pattern-when">When (expression over input)</Label>
              <Input id="pattern-when" required className="font-mono" placeholder="input.country === 'FR'" value={form.when} onChange={(e) => setForm({ ...form, when: e.target.value })} />
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="pattern-expect">Expect (route or JSON)</Label>
              <Input id="pattern-expect" className="font-mono" value={form.expect} onChange={(e) => setForm({ ...form, expect: e.target.value })} />
            </div>
            <div>
              <Button type="submit" size="sm" pending={create.isPending}>
                Save pattern
              </Button>
            </div>
          </form>
        </section>
      ) : null}
    </div>
  );
}
