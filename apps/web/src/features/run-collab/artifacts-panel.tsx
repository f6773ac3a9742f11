"use client";

import { useState, type DragEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Upload } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Select } from "@/components/ui/select";
import { useTRPC } from "@/trpc/client";
import type { RunStepNode } from "./run-collab";

const PREVIEW_CHARS = 4000;
const formatBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** Streams one file to the REST upload (raw body, its name in `x-filename`); the server's error message on failure. */
async function uploadFile(workspaceId: string, executionId: string, file: File, nodeId: string): Promise<void> {
  const query = nodeId ? `?nodeId=${encodeURIComponent(nodeId)}` : "";
  const res = await fetch(`/api/v1/executions/${executionId}/artifacts${query}`, {
    method: "POST",
    headers: {
      "content-type": file.type || "application/octet-stream",
      "x-filename": encodeURIComponent(file.name),
      "x-weft-workspace": workspaceId,
    },
    body: file,
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `Upload failed (${res.status})`);
  }
}

/** A text or JSON file's first characters, fetched when asked for. */
function TextPreview({ url }: { url: string }) {
  const text = useQuery({
    queryKey: ["artifact-preview", url],
    queryFn: async () => (await (await fetch(url)).text()).slice(0, PREVIEW_CHARS),
  });
  return <pre className="max-h-64 overflow-auto rounded bg-muted p-2 text-xs" data-testid="artifact-preview">{text.data ?? "Loading…"}</pre>;
}

/**
 * The run's files: drag and drop (or pick) to upload onto the run or a step, a list with previews for
 * images, text and JSON, downloads (attachments) and delete.
 */
export function ArtifactsPanel({ workspaceId, executionId, nodes, canAct }: { workspaceId: string; executionId: string; nodes: RunStepNode[]; canAct: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [step, setStep] = useState("");
  const [dragging, setDragging] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery(trpc.artifacts.list.queryOptions({ workspaceId, executionId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.artifacts.list.pathKey() });
  const upload = useMutation({
    mutationFn: async (files: File[]) => {
      for (const file of files) await uploadFile(workspaceId, executionId, file, step);
    },
    onSettled: refresh,
  });
  const remove = useMutation(trpc.artifacts.delete.mutationOptions({ onSuccess: refresh }));
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (canAct && event.dataTransfer.files.length > 0) upload.mutate([...event.dataTransfer.files]);
  };
  const labelOf = (nodeId: string | null) => (nodeId ? (nodes.find((n) => n.id === nodeId)?.label ?? nodeId) : null);
  const url = (downloadUrl: string) => `${downloadUrl}?workspaceId=${workspaceId}`;

  return (
    <div className="flex flex-col gap-3" data-testid="artifacts">
      {canAct ? (
        <div
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={cn("flex flex-wrap items-center gap-3 rounded-md border-2 border-dashed p-4 text-sm", dragging ? "border-primary bg-accent" : "border-border")}
          data-testid="artifact-dropzone"
        >
          <Upload className="size-4 text-muted-foreground" aria-hidden />
          <span>Drop files here, or</span>
          <label className="cursor-pointer font-medium underline">
            choose files
            <input
              type="file"
              multiple
              className="sr-only"
              aria-label="Upload files"
              onChange={(e) => {
                if (e.target.files?.length) upload.mutate([...e.target.files]);
                e.target.value = "";
              }}
            />
          </label>
          <Select value={step} onChange={(e) => setStep(e.target.value)} aria-label="Attach to" className="ml-auto w-56">
            <option value="">attach to the run</option>
            {nodes.map((n) => (
              <option key={n.id} value={n.id}>
                step: {n.label}
              </option>
            ))}
          </Select>
          {upload.isPending ? <span role="status">Uploading…</span> : null}
        </div>
      ) : null}
      {upload.error ? (
        <p role="alert" className="text-sm text-destructive">
          {upload.error.message}
        </p>
      ) : null}
      <ul className="flex flex-col gap-2" aria-label="Files">
        {list.data?.artifacts.length === 0 ? <li className="text-sm text-muted-foreground">No files yet.</li> : null}
        {list.data?.artifacts.map((a) => {
          const previewable = a.contentType.startsWith("image/") || a.contentType.startsWith("text/") || a.contentType.includes("json");
          return (
            <li key={a.id} className="rounded-md border border-border p-2 text-sm" data-testid="artifact">
              <div className="flex flex-wrap items-center gap-2">
                <a className="font-medium underline" href={url(a.downloadUrl)} download={a.name}>
                  {a.name}
                </a>
                <span className="text-xs text-muted-foreground">
                  {a.contentType} · {formatBytes(a.sizeBytes)}
                </span>
                {a.nodeId ? <Badge variant="outline">step: {labelOf(a.nodeId)}</Badge> : null}
                <span className="ml-auto flex gap-1">
                  {previewable ? (
                    <Button type="button" size="sm" variant="ghost" onClick={() => setOpen(open === a.id ? null : a.id)}>
                      {open === a.id ? "Hide" : "Preview"}
                    </Button>
                  ) : null}
                  {canAct ? (
                    <Button type="button" size="sm" variant="ghost" onClick={() => remove.mutate({ workspaceId, executionId, artifactId: a.id })}>
                      Delete
                    </Button>
                  ) : null}
                </span>
              </div>
              {open === a.id ? (
                a.contentType.startsWith("image/") ? (
                  // eslint-disable-next-line @next/next/no-img-element -- an authenticated download, not a static asset
                  <img src={url(a.downloadUrl)} alt={a.name} className="mt-2 max-h-64 rounded" />
                ) : (
                  <TextPreview url={url(a.downloadUrl)} />
                )
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
