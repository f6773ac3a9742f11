"use client";

import { useEffect, useId, useState, type Ref } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { X } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { useTRPC, type RouterOutputs } from "@/trpc/client";

export type Decision = RouterOutputs["decisions"]["list"]["items"][number];
export type Verdict = "correct" | "incorrect" | "partial";
export const verdicts: ReadonlyArray<{ value: Verdict; label: string; key: string }> = [
  { value: "correct", label: "Correct", key: "1" },
  { value: "incorrect", label: "Incorrect", key: "2" },
  { value: "partial", label: "Partial", key: "3" },
];

/** Parses the corrected output box: JSON when it is JSON, else the text itself; empty = none. */
function parseCorrected(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
const showCorrected = (value: unknown) => (value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value));

/**
 * Feedback on one decision: verdict, category tags (the workspace's list, new ones created on first
 * use), corrected output and comment. Saving replaces earlier feedback; who and when are shown.
 */
export function FeedbackForm({
  workspaceId,
  decision,
  canEdit,
  verdict: verdictFromKeys,
  tagInputRef,
  onSaved,
}: {
  workspaceId: string;
  decision: Decision;
  canEdit: boolean;
  /** A verdict chosen from outside (the queue's 1/2/3 keys): selected and saved at once. */
  verdict?: { value: Verdict; at: number };
  tagInputRef?: Ref<HTMLInputElement>;
  onSaved?: (decision: Decision) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const categoriesQuery = useQuery(trpc.decisions.categories.queryOptions({ workspaceId }));
  const [verdict, setVerdict] = useState<Verdict | null>(decision.feedback?.verdict ?? null);
  const [tags, setTags] = useState<string[]>(decision.feedback?.categories ?? []);
  const [tagText, setTagText] = useState("");
  const [corrected, setCorrected] = useState(showCorrected(decision.feedback?.correctedOutput));
  const [comment, setComment] = useState(decision.feedback?.comment ?? "");

  const save = useMutation(
    trpc.decisions.feedback.mutationOptions({
      onSuccess: async (saved) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.decisions.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.analytics.pathKey() }),
        ]);
        onSaved?.(saved);
      },
    }),
  );
  const submit = (chosen: Verdict | null = verdict, categories = tags) => {
    if (!chosen) return;
    const pending = tagText.trim();
    const all = pending && !categories.includes(pending) ? [...categories, pending] : categories;
    if (pending) {
      setTags(all);
      setTagText("");
    }
    save.mutate({ workspaceId, decisionId: decision.id, verdict: chosen, categories: all, correctedOutput: parseCorrected(corrected), comment: comment.trim() || undefined });
  };

  // 1/2/3 in the queue: choose and save.
  const keyed = verdictFromKeys?.at;
  useEffect(() => {
    if (!verdictFromKeys || !canEdit) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a key press (an external event) picks the verdict
    setVerdict(verdictFromKeys.value);
    submit(verdictFromKeys.value);
    // Only a new key press triggers this.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keyed]);

  const addTag = () => {
    const name = tagText.trim();
    if (name && !tags.includes(name)) setTags([...tags, name]);
    setTagText("");
  };

  return (
    <form
      data-testid="feedback-form"
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <fieldset className="flex flex-wrap items-center gap-2" disabled={!canEdit}>
        <legend className="sr-only">Verdict</legend>
        {verdicts.map((v) => (
          <label
            key={v.value}
            className={cn(
              "inline-flex cursor-pointer items-center gap-1.5 rounded-md border px-3 py-1.5 text-sm has-focus-visible:outline-2 has-focus-visible:outline-ring",
              verdict === v.value ? "border-primary bg-primary text-primary-foreground" : "border-border hover:bg-accent",
            )}
          >
            <input type="radio" className="sr-only" name={`${id}-verdict`} value={v.value} checked={verdict === v.value} onChange={() => setVerdict(v.value)} />
            {v.label}
          </label>
        ))}
      </fieldset>
      <div className="flex flex-col gap-1.5">
        <label htmlFor={`${id}-tag`} className="text-xs font-medium text-muted-foreground">
          Categories
        </label>
        <div className="flex flex-wrap items-center gap-1.5">
          {tags.map((tag) => (
            <span key={tag} data-testid="category-tag" className="inline-flex items-center gap-1 rounded-full border border-border bg-muted px-2 py-0.5 text-xs">
              {tag}
              {canEdit ? (
                <button type="button" aria-label={`Remove ${tag}`} onClick={() => setTags(tags.filter((t) => t !== tag))}>
                  <X className="size-3" aria-hidden />
                </button>
              ) : null}
            </span>
          ))}
          <Input
            id={`${id}-tag`}
            ref={tagInputRef}
            list={`${id}-categories`}
            className="h-8 w-44"
            placeholder="Add a category"
            value={tagText}
            disabled={!canEdit}
            onChange={(e) => setTagText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                addTag();
              }
            }}
          />
          <datalist id={`${id}-categories`}>
            {(categoriesQuery.data ?? []).map((c) => (
              <option key={c.id} value={c.name} />
            ))}
          </datalist>
        </div>
      </div>
      <div className="grid gap-3 md:grid-cols-2">
        <div className="flex flex-col gap-1.5">
          <label htmlFor={`${id}-corrected`} className="text-xs font-medium text-muted-foreground">
            Corrected output (text or JSON)
          </label>
          <textarea
            id={`${id}-corrected`}
            className="min-h-16 rounded-md border border-input bg-background p-2 font-mono text-xs"
            value={corrected}
            disabled={!canEdit}
            onChange={(e) => setCorrected(e.target.value)}
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={`${id}-comment`} className="text-xs font-medium text-muted-foreground">
            Comment
          </label>
          <textarea
            id={`${id}-comment`}
            className="min-h-16 rounded-md border border-input bg-background p-2 text-sm"
            value={comment}
            disabled={!canEdit}
            onChange={(e) => setComment(e.target.value)}
          />
        </div>
      </div>
      {save.error ? <Alert variant="error">{save.error.message}</Alert> : null}
      <div className="flex items-center gap-3">
        {canEdit ? (
          <Button type="submit" size="sm" disabled={!verdict} pending={save.isPending}>
            Save feedback
          </Button>
        ) : (
          <span className="text-xs text-muted-foreground">Viewers cannot give feedback.</span>
        )}
        {decision.feedback ? (
          <span className="text-xs text-muted-foreground" data-testid="feedback-by">
            {decision.feedback.verdict} by {decision.feedback.by?.name ?? "an API key"}
            {decision.feedback.at ? ` at ${new Date(decision.feedback.at).toLocaleString()}` : ""}
          </span>
        ) : null}
      </div>
    </form>
  );
}
