"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import { Select } from "@/components/ui/select";
import { useTRPC } from "@/trpc/client";
import type { RunStepNode } from "./run-collab";

/** Comments refresh on this period while the page is open (other people's and the engine's). */
const REFRESH_MS = 4000;

/**
 * The run's comments thread: run-level and per step (filter and target chosen by the step picker),
 * markdown rendered by the server and sanitised there (the HTML is inserted as is), system and agent
 * badges, edit and delete for their authors and admins.
 */
export function CommentsThread({ workspaceId, executionId, nodes, canAct }: { workspaceId: string; executionId: string; nodes: RunStepNode[]; canAct: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [step, setStep] = useState("");
  const [draft, setDraft] = useState("");
  const [editing, setEditing] = useState<{ id: string; body: string } | null>(null);
  const listInput = { workspaceId, executionId, ...(step ? { nodeId: step } : {}) };
  const list = useQuery({ ...trpc.comments.list.queryOptions(listInput), refetchInterval: REFRESH_MS });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.comments.list.pathKey() });
  const create = useMutation(trpc.comments.create.mutationOptions({ onSuccess: async () => (setDraft(""), await refresh()) }));
  const update = useMutation(trpc.comments.update.mutationOptions({ onSuccess: async () => (setEditing(null), await refresh()) }));
  const remove = useMutation(trpc.comments.delete.mutationOptions({ onSuccess: refresh }));
  const labelOf = (nodeId: string | null) => (nodeId ? (nodes.find((n) => n.id === nodeId)?.label ?? nodeId) : null);
  const error = create.error ?? update.error ?? remove.error;

  return (
    <div className="flex flex-col gap-3" data-testid="comments">
      <label className="flex items-center gap-2 text-sm">
        <span className="font-medium">On</span>
        <Select value={step} onChange={(e) => setStep(e.target.value)} aria-label="Comment on" className="w-64">
          <option value="">the whole run</option>
          {nodes.map((n) => (
            <option key={n.id} value={n.id}>
              step: {n.label}
            </option>
          ))}
        </Select>
      </label>
      <ol className="flex flex-col gap-2" aria-label="Comments">
        {list.data?.comments.length === 0 ? <li className="text-sm text-muted-foreground">No comments yet.</li> : null}
        {list.data?.comments.map((c) => (
          <li key={c.id} className="rounded-md border border-border p-3" data-testid="comment" data-kind={c.kind}>
            <div className="mb-1 flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
              <span className="font-medium text-foreground">{c.author?.name ?? (c.kind === "system" ? "Weft" : c.kind === "agent" ? "Agent" : "API key")}</span>
              {c.kind !== "user" ? <Badge variant={c.kind === "system" ? "warning" : "outline"}>{c.kind}</Badge> : null}
              {c.nodeId ? <Badge variant="outline">step: {labelOf(c.nodeId)}</Badge> : null}
              <LocalTime value={c.createdAt} />
              {c.edited ? <span>(edited)</span> : null}
              {c.canEdit ? (
                <span className="ml-auto flex gap-1">
                  <Button type="button" size="sm" variant="ghost" onClick={() => setEditing({ id: c.id, body: c.body })}>
                    Edit
                  </Button>
                  <Button type="button" size="sm" variant="ghost" onClick={() => remove.mutate({ workspaceId, executionId, commentId: c.id })}>
                    Delete
                  </Button>
                </span>
              ) : null}
            </div>
            {editing?.id === c.id ? (
              <form
                className="flex flex-col gap-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  update.mutate({ workspaceId, executionId, commentId: c.id, body: editing.body });
                }}
              >
                <textarea
                  aria-label="Edit comment"
                  className="min-h-20 rounded-md border border-border bg-background p-2 text-sm"
                  value={editing.body}
                  onChange={(e) => setEditing({ id: c.id, body: e.target.value })}
                />
                <div className="flex gap-2">
                  <Button type="submit" size="sm" disabled={update.isPending}>
                    Save
                  </Button>
                  <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(null)}>
                    Cancel
                  </Button>
                </div>
              </form>
            ) : (
              // Rendered from markdown and sanitised on the server (packages/api lib/markdown.ts).
              <div className="prose-sm max-w-none text-sm [&_a]:underline [&_code]:font-mono [&_pre]:overflow-auto" dangerouslySetInnerHTML={{ __html: c.html }} />
            )}
            {c.attachments.length > 0 ? (
              <ul className="mt-2 flex flex-wrap gap-2 text-xs">
                {c.attachments.map((a) => (
                  <li key={a.id}>
                    <a className="underline" href={`${a.downloadUrl}?workspaceId=${workspaceId}`}>
                      {a.name}
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
      {canAct ? (
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!draft.trim()) return;
            create.mutate({ workspaceId, executionId, body: draft, ...(step ? { nodeId: step } : {}) });
          }}
        >
          <textarea
            aria-label="New comment"
            placeholder={step ? `Comment on step ${labelOf(step)} (markdown)` : "Comment on this run (markdown)"}
            className="min-h-20 rounded-md border border-border bg-background p-2 text-sm"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
          <Button type="submit" size="sm" className="self-start" disabled={create.isPending || !draft.trim()}>
            Comment
          </Button>
        </form>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
