"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useTRPC } from "@/trpc/client";

/** The run's name and tags, editable in place by members. */
export function RunLabels({ workspaceId, executionId, canAct }: { workspaceId: string; executionId: string; canAct: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useQuery(trpc.executions.byId.queryOptions({ workspaceId, executionId }));
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState("");
  const [tags, setTags] = useState("");
  const label = useMutation(
    trpc.executions.label.mutationOptions({
      onSuccess: async () => {
        setEditing(false);
        await queryClient.invalidateQueries({ queryKey: trpc.executions.byId.queryKey({ workspaceId, executionId }) });
      },
    }),
  );
  const current = run.data;
  if (!current) return null;
  if (editing) {
    return (
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const list = tags.split(/[\s,]+/).map((t) => t.trim()).filter(Boolean);
          label.mutate({ workspaceId, executionId, name: name.trim() ? name.trim() : null, tags: list });
        }}
      >
        <label className="flex flex-col gap-1 text-xs font-medium">
          Run name
          <Input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. nightly import" aria-label="Run name" className="w-64" />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium">
          Tags
          <Input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="comma or space separated" aria-label="Tags" className="w-64" />
        </label>
        <Button type="submit" size="sm" disabled={label.isPending}>
          Save
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(false)}>
          Cancel
        </Button>
        {label.error ? <p role="alert" className="w-full text-sm text-destructive">{label.error.message}</p> : null}
      </form>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="run-labels">
      <h2 className="text-base font-semibold" data-testid="run-name">
        {current.name ?? <span className="text-muted-foreground">Unnamed run</span>}
      </h2>
      {current.tags.map((t) => (
        <Badge key={t} variant="outline">
          #{t}
        </Badge>
      ))}
      {canAct ? (
        <Button
          type="button"
          size="sm"
          variant="ghost"
          onClick={() => {
            setName(current.name ?? "");
            setTags(current.tags.join(", "));
            setEditing(true);
          }}
        >
          <Pencil aria-hidden />
          Rename
        </Button>
      ) : null}
    </div>
  );
}
